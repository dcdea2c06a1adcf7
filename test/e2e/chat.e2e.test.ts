import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatServer } from '../../src/server/chat-server.js';
import { spawnChatTui, type Terminal } from './terminal-harness.js';

let server: ChatServer;
let port: number;
const terminals: Terminal[] = [];

function join(name: string, options: { columns?: number; rows?: number } = {}): Terminal {
  const terminal = spawnChatTui(['--port', String(port), '--name', name, '--lang', 'en'], options);
  terminals.push(terminal);
  return terminal;
}

/** Joined, named, and listed in its own sidebar: ready to chat. */
async function joined(name: string, options?: { columns?: number; rows?: number }): Promise<Terminal> {
  const terminal = join(name, options);
  await terminal.waitFor(`you are ${name}`);
  await terminal.waitFor(`${name} (you)`);
  return terminal;
}

beforeEach(async () => {
  server = new ChatServer({ host: '127.0.0.1', port: 0, idleTimeoutMs: 0, logger: pino({ level: 'silent' }) });
  ({ port } = await server.start());
});

afterEach(async () => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  await server.stop();
});

describe('chat-tui in a real terminal', () => {
  it('shows a public message on every screen', async () => {
    const alice = await joined('alice');
    const bob = await joined('bob');
    await alice.waitFor('Online (2)');
    alice.type('hello everyone\r');
    await alice.waitFor('alice: hello everyone');
    await bob.waitFor('alice: hello everyone');
  });
});
