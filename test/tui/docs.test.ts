import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intentOf } from '../../src/tui/commands.js';
import { KEY_TABLE, keysOf, markdownKeyTable } from '../../src/tui/key-table.js';

const doc = readFileSync(new URL('../../docs/CLIENT.md', import.meta.url), 'utf8');

describe('docs/CLIENT.md', () => {
  it('shows the key table the help overlay draws, row for row', () => {
    // On failure, paste markdownKeyTable() from src/tui/key-table.ts into the doc.
    expect(doc).toContain(markdownKeyTable());
  });

  it('lists only commands the input line knows', () => {
    for (const entry of KEY_TABLE.commands) {
      for (const command of keysOf(entry, 'en').split(' ')) {
        if (!command.startsWith('/') || command.startsWith('//')) continue;
        const intent = intentOf(`${command} x y`, { kind: 'public' });
        expect(intent, command).not.toEqual({ kind: 'error', note: { key: 'unknownCommand', command } });
      }
    }
  });
});
