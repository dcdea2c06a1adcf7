import { isValidName } from '../protocol/index.js';
import type { Note } from './notes.js';
import type { Mode, Setting } from './store.js';

/** What one submitted line asks for. */
export type Intent =
  | { kind: 'public'; text: string }
  | { kind: 'private'; to: string; text: string }
  | { kind: 'rename'; name: string }
  | { kind: 'who' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'reconnect' }
  | { kind: 'bell' }
  /** An action, `/me waves`: sent as `* name waves`, in the mode you are in. */
  | { kind: 'me'; text: string }
  | { kind: 'ignore'; name: string }
  /** Without a name: stop ignoring everyone. */
  | { kind: 'unignore'; name?: string }
  | { kind: 'clear' }
  | { kind: 'toggle'; setting: Setting }
  | { kind: 'error'; note: Note }
  | { kind: 'none' };

/**
 * A submitted line in the current mode. Slash commands work in every mode, for people with IRC habits;
 * `//text` sends `/text`. Everything else takes the mode's meaning, so private text stays private.
 */
export function intentOf(line: string, mode: Mode): Intent {
  if (line.trim() === '') return { kind: 'none' };
  if (line.startsWith('/') && !line.startsWith('//')) return slashCommand(line);
  const text = line.startsWith('//') ? line.slice(1) : line;
  switch (mode.kind) {
    case 'public':
      return { kind: 'public', text };
    case 'private':
      return { kind: 'private', to: mode.target.name, text };
    case 'rename':
      return renameTo(text.trim());
  }
}

function slashCommand(line: string): Intent {
  const [command = '', ...words] = line.trim().split(/\s+/);
  switch (command.toLowerCase()) {
    case '/msg':
    case '/m': {
      const match = /^\/\S+\s+(\S+)\s(.*)$/s.exec(line.trimStart());
      if (!match || match[2]!.trim() === '') return { kind: 'error', note: { key: 'usage', command: 'msg' } };
      return { kind: 'private', to: match[1]!, text: match[2]! };
    }
    case '/nick':
    case '/rename':
      return words.length === 1 ? renameTo(words[0]!) : { kind: 'error', note: { key: 'usage', command: 'nick' } };
    case '/who':
      return { kind: 'who' };
    case '/help':
    case '/?':
      return { kind: 'help' };
    case '/quit':
    case '/exit':
      return { kind: 'quit' };
    case '/reconnect':
      return { kind: 'reconnect' };
    case '/bell':
      return { kind: 'bell' };
    case '/me': {
      const text = line.trimStart().slice(command.length).trim();
      return text === '' ? { kind: 'error', note: { key: 'usage', command: 'me' } } : { kind: 'me', text };
    }
    case '/ignore':
      return words.length === 1
        ? { kind: 'ignore', name: words[0]! }
        : { kind: 'error', note: { key: 'usage', command: 'ignore' } };
    case '/unignore':
      return words.length <= 1
        ? { kind: 'unignore', name: words[0] }
        : { kind: 'error', note: { key: 'usage', command: 'ignore' } };
    case '/clear':
      return { kind: 'clear' };
    case '/joins':
      return { kind: 'toggle', setting: 'joins' };
    case '/seconds':
      return { kind: 'toggle', setting: 'seconds' };
    default:
      return { kind: 'error', note: { key: 'unknownCommand', command } };
  }
}

function renameTo(name: string): Intent {
  return isValidName(name) ? { kind: 'rename', name } : { kind: 'error', note: { key: 'invalidName' } };
}
