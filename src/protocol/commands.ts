export type Command =
  | { kind: 'empty' }
  | { kind: 'who' }
  | { kind: 'rename'; name: string }
  | { kind: 'private'; target: string; content: string }
  | { kind: 'public'; text: string };

const RENAME_PREFIX = 'rename|';
const PRIVATE_PREFIX = 'to|';

/** One client line (already without its line end) as a command, in the order PROTOCOL.md gives. */
export function parseCommand(line: string): Command {
  if (line === '') return { kind: 'empty' };
  if (line === 'who') return { kind: 'who' };
  if (line.startsWith(RENAME_PREFIX)) {
    return { kind: 'rename', name: line.slice(RENAME_PREFIX.length).split('|', 1)[0]! };
  }
  if (line.startsWith(PRIVATE_PREFIX)) {
    const rest = line.slice(PRIVATE_PREFIX.length);
    const bar = rest.indexOf('|');
    return bar === -1
      ? { kind: 'private', target: rest, content: '' }
      : { kind: 'private', target: rest.slice(0, bar), content: rest.slice(bar + 1) };
  }
  return { kind: 'public', text: line };
}

/** The lines a client sends, exactly as the article's client writes them. */
export const clientCommands = {
  public: (text: string) => `${text}\n`,
  private: (name: string, text: string) => `${PRIVATE_PREFIX}${name}|${text}\n\n`,
  rename: (name: string) => `${RENAME_PREFIX}${name}\n`,
  who: () => 'who\n',
} as const;
