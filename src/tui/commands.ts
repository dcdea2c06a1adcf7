import { isValidName } from '../protocol/index.js';
import type { Note } from './notes.js';
import type { Mode } from './store.js';

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
    default:
      return { kind: 'error', note: { key: 'unknownCommand', command } };
  }
}

function renameTo(name: string): Intent {
  return isValidName(name) ? { kind: 'rename', name } : { kind: 'error', note: { key: 'invalidName' } };
}
