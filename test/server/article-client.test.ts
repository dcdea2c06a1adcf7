import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGo, type GoBuild } from '../support/go.js';
import { LineClient, startServer, stopAll } from '../support/chat-server.js';

const SOURCE = fileURLToPath(new URL('../fixtures/article-client', import.meta.url));
let build: GoBuild = { skipped: 'not built yet' };
const children = new Set<ChildProcess>();

beforeAll(async () => {
  build = await buildGo(SOURCE, 'article-client');
  if ('skipped' in build) console.log(`skipping the tutorial's Go client: ${build.skipped}`);
}, 120_000);

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await stopAll();
});
afterAll(stopAll);

/** The tutorial's client, answering its menus from `answers` one line at a time. */
function articleClient(port: number) {
  if (!('binary' in build)) throw new Error('no binary');
  const child = spawn(build.binary, ['-ip', '127.0.0.1', '-port', String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    type: (line: string) => child.stdin!.write(`${line}\n`),
    output: () => output,
  };
}

describe("the tutorial's own Go client", () => {
  it('renames, chats in public, lists users and whispers through chat-server', async (context) => {
    if ('skipped' in build) return context.skip();
    const { port } = await startServer();
    const bob = await LineClient.join(port);
    await bob.request('rename|bob\n');
    const client = articleClient(port);

    const menuShown = () => expect.poll(() => client.output(), { timeout: 5000 });
    await menuShown().toContain('0.退出');
    client.type('3');
    client.type('小明');
    await menuShown().toContain('您已经更新用户名:小明');

    client.type('1');
    client.type('大家好');
    const publicLine = await bob.waitForLine((line) => line.endsWith(']小明:大家好'));
    expect(publicLine).toMatch(/^\[127\.0\.0\.1:\d+\]小明:大家好$/);
    await menuShown().toContain(']小明:大家好\n');
    client.type('exit');

    client.type('2');
    await menuShown().toMatch(/\]bob:在线\.\.\.\n/);
    client.type('bob');
    client.type('悄悄话');
    await bob.waitForLine((line) => line === '小明对您说:悄悄话');
    client.type('exit');
    client.type('exit');

    bob.send('to|小明|收到\n\n');
    await menuShown().toContain('bob对您说:收到\n');
    expect(bob.lines.filter((line) => line === '')).toEqual([]);
    client.type('0');
  });
});
