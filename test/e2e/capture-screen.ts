// Prints a real chat-tui screen as text, for docs/CLIENT.md:
//   npm run build && node --import tsx test/e2e/capture-screen.ts [port]
import { pino } from 'pino';
import { ChatServer } from '../../src/server/chat-server.js';
import { spawnChatTui, type Terminal } from './terminal-harness.js';

const server = new ChatServer({
  host: '127.0.0.1',
  maxClientsPerIp: 0,
  joinRate: 0,
  port: Number(process.argv[2] ?? 0),
  idleTimeoutMs: 0,
  logger: pino({ level: 'silent' }),
});
const { port } = await server.start();
const terminals: Terminal[] = [];
const join = async (name: string) => {
  const terminal = spawnChatTui(['--port', String(port), '--name', name, '--lang', 'en']);
  terminals.push(terminal);
  await terminal.waitFor(`${name} (you)`);
  return terminal;
};

try {
  const alice = await join('alice');
  const bob = await join('bob');
  const zhang = await join('张三');
  bob.type('hi all, 张三 has just joined us\r');
  await alice.waitFor('bob: hi all');
  alice.type('hello all\r');
  await zhang.waitFor('alice: hello all');
  zhang.type('大家好！很高兴认识你们\r');
  await alice.waitFor('张三: 大家好');
  bob.type('/msg alice are you around for a quick review later?\r');
  await alice.waitFor('bob → you: are you around');
  bob.type('/msg alice it is the reconnect patch\r');
  await alice.waitFor('bob → you: it is the reconnect');
  alice.type('\x1bOR');
  await alice.waitFor('choose a user');
  await alice.waitFor('bob      ');
  process.stdout.write(`${alice.screen()}\n`);
} finally {
  for (const terminal of terminals) terminal.kill();
  await server.stop();
}
