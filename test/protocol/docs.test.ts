import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replies } from '../../src/protocol/index.js';

const doc = readFileSync(new URL('../../docs/PROTOCOL.md', import.meta.url), 'utf8').replaceAll('\\|', '|');

describe('docs/PROTOCOL.md', () => {
  it('shows every server line exactly as the code sends it', () => {
    const shown = (line: string) => `\`${line.replace(/\n$/, '\\n')}\``;
    const samples: Record<keyof typeof replies, string> = {
      joined: replies.joined('{addr}', '{name}'),
      left: replies.left('{addr}', '{name}'),
      listed: replies.listed('{addr}', '{name}'),
      public: replies.public('{addr}', '{name}', '{text}'),
      private: replies.private('{fromName}', '{content}'),
      renamed: replies.renamed('{name}'),
      lineTooLong: replies.lineTooLong('{N}' as unknown as number),
      nameInUse: replies.nameInUse(),
      badPrivateFormat: replies.badPrivateFormat(),
      noSuchUser: replies.noSuchUser(),
      emptyPrivate: replies.emptyPrivate(),
      idleKick: replies.idleKick(),
      invalidName: replies.invalidName(),
      reserved: replies.reserved(),
      serverFull: replies.serverFull(),
      tooManyConnections: replies.tooManyConnections(),
      serverClosing: replies.serverClosing(),
      signedInElsewhere: replies.signedInElsewhere(),
      roomUnreachable: replies.roomUnreachable(),
    };
    for (const line of Object.values(samples)) expect(doc).toContain(shown(line));
  });
});
