import { describe, expect, it } from 'vitest';
import { labelsFor, type Lang } from '../../src/tui/i18n.js';
import { noteText, type Note } from '../../src/tui/notes.js';

/** One of every note the screen writes, with parameters that must show in the words. */
const NOTES: Note[] = [
  { key: 'connectedTo', server: '10.0.0.1:8888' },
  { key: 'notChatServer', server: '10.0.0.1:80' },
  { key: 'connectionLost', reason: 'ECONNRESET' },
  { key: 'unsent', count: 3 },
  { key: 'joined', name: 'bob' },
  { key: 'left', name: 'bob' },
  { key: 'listed', name: 'bob', addr: '10.0.0.2:5000' },
  { key: 'renamed', name: 'bob' },
  { key: 'nowKnownAs', from: '10.0.0.2:5000', name: 'bob' },
  { key: 'nameTaken', name: 'bob', next: 'bob-2' },
  { key: 'bell', on: true },
  { key: 'bell', on: false },
  { key: 'ignoring', name: 'bob', on: true },
  { key: 'ignoring', name: 'bob', on: false },
  { key: 'setting', setting: 'joins', on: true },
  { key: 'setting', setting: 'joins', on: false },
  { key: 'setting', setting: 'seconds', on: true },
  { key: 'setting', setting: 'seconds', on: false },
  { key: 'lineTooLong', maxLineBytes: 4096 },
  { key: 'unknownCommand', command: '/frob' },
  { key: 'usage', command: 'msg' },
  { key: 'usage', command: 'me' },
  { key: 'usage', command: 'ignore' },
  { key: 'kicked' },
  { key: 'pressToReconnect' },
  { key: 'notConnected' },
  { key: 'noSuchUser' },
  { key: 'sshOpen', command: 'ssh -p 2222 10.0.0.1' },
  { key: 'sshPrivate', command: 'ssh -p 2222 10.0.0.1', keys: 3 },
  { key: 'sshInUse', where: '10.0.0.1:2222' },
  { key: 'sshDenied', where: '10.0.0.1:22' },
  { key: 'sshFailed', reason: 'cannot read the SSH host key /k' },
];

const PARAMETERS = [
  '10.0.0.1:8888',
  '10.0.0.1:80',
  'ECONNRESET',
  '3',
  'bob',
  'bob-2',
  '4096',
  '/frob',
  'ssh -p 2222 10.0.0.1',
  '10.0.0.1:2222',
  '10.0.0.1:22',
  'cannot read the SSH host key /k',
];

describe('the screen’s words', () => {
  it('has every note in English and in Chinese, with its parameters, and the two differ', () => {
    const en = labelsFor('en');
    const zh = labelsFor('zh');
    for (const note of NOTES) {
      const words: Record<Lang, string> = { en: noteText(note, en), zh: noteText(note, zh) };
      for (const lang of ['en', 'zh'] as const) {
        expect(words[lang], `${note.key} in ${lang}`).not.toBe('');
        for (const parameter of PARAMETERS) {
          if (Object.values(note).map(String).includes(parameter)) expect(words[lang]).toContain(parameter);
        }
      }
      expect(words.zh, note.key).not.toBe(words.en);
    }
  });

  it('words the status and the scroll marker in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      const labels = labelsFor(lang);
      expect(labels.status.reconnecting(3)).toContain('3');
      expect(labels.newMessages(5, 0)).toContain('5');
      expect(labels.newMessages(5, 2)).toContain('2');
      expect(labels.modes.private('bob')).toContain('bob');
      expect(labels.youAre('bob')).toContain('bob');
      expect(labels.online(4)).toContain('4');
    }
  });
});
