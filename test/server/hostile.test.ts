// Attacks a hostile internet client can make with a few hundred KB, each at a scale that would hurt, and
// what must hold: the server's memory, an honest member's latency, and what others are shown.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { formatAddr, replies } from '../../src/protocol/index.js';
import { DEFAULT_OPTIONS } from '../../src/server/options.js';
import { LineClient, startServer, stopAll } from '../support/chat-server.js';
import { startServerProcess, stopServerProcesses } from '../support/server-process.js';
import { until } from '../support/until.js';

const opened = new Set<Socket>();

afterEach(async () => {
  for (const socket of opened) socket.destroy();
  opened.clear();
  await Promise.all([stopAll(), stopServerProcesses()]);
});

/**
 * A connection that reads and discards everything: a member that takes part only to attack. Resolves once
 * the server has let it in (its first line, its own `已上线`, has arrived).
 */
async function silentMember(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  opened.add(socket);
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (!chunk.includes(0x0a)) return;
      socket.off('data', onData);
      socket.on('data', () => {});
      resolve();
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  return socket;
}

/**
 * A member on its own address (127.0.0.2, so no per-address limit it shares with attackers) that says a
 * line every `everyMs` and times how long each takes to come back, for `forMs`.
 */
async function honestLatencies(port: number, forMs: number, everyMs = 25): Promise<number[]> {
  const honest = await LineClient.open(port, '127.0.0.1', { localAddress: '127.0.0.2' });
  await honest.waitForLine((line) => line.endsWith(`${honest.addr}:已上线`));
  const latencies: number[] = [];
  const endAt = performance.now() + forMs;
  for (let i = 0; performance.now() < endAt; i += 1) {
    const sentAt = performance.now();
    const echo = `[${honest.addr}]${honest.addr}:ping ${i}`;
    honest.send(`ping ${i}\n`);
    await honest.waitForLine((line) => line === echo, 10_000);
    latencies.push(performance.now() - sentAt);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return latencies;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

describe('a newline bomb', () => {
  it('300 connections × 64 KiB of bare newlines: memory bounded by bytes, an honest member barely slowed', async () => {
    const bombers = 300;
    const bomb = Buffer.alloc(64 * 1024, '\n');
    const server = await startServerProcess(['--max-clients-per-ip', '0', '--join-rate', '0']);
    const { port } = server;
    const sockets = await Promise.all(Array.from({ length: bombers }, () => silentMember(port)));
    const rssBefore = server.rssBytes();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, server.rssBytes())), 5);
    try {
      for (const socket of sockets) socket.write(bomb);
      const latencies = await honestLatencies(port, 3000);
      // Every bomber's blank lines are worked through: a line sent after them is carried out.
      const probes = await Promise.all(
        sockets.slice(0, 10).map(async (socket, i) => {
          const client = new ProbeReader(socket);
          socket.write(`rename|bomber${i}\n`);
          return client.waitFor(replies.renamed(`bomber${i}`));
        }),
      );
      const growthMB = (rssPeak - rssBefore) / 1e6;
      const p99 = percentile(latencies, 99);
      console.log(
        `newline bomb: ${bombers} × 64 KiB; server RSS grew ${growthMB.toFixed(0)} MB; honest member p50 ` +
          `${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${latencies.length} lines`,
      );
      expect(probes).toHaveLength(10);
      expect(growthMB).toBeLessThan(150);
      expect(p99).toBeLessThan(300);
    } finally {
      clearInterval(sampler);
    }
  });
});

describe('a who storm', () => {
  it('2,000 members, 100 of them asking who 40 times at once: nobody else waits more than 1.5 s', async () => {
    const members = 2000;
    const server = await startServerProcess(['--max-clients-per-ip', '0', '--join-rate', '0']);
    const { port } = server;
    const sockets: Socket[] = [];
    for (let i = 0; i < members; i += 200) {
      sockets.push(...(await Promise.all(Array.from({ length: 200 }, () => silentMember(port)))));
    }
    const rssBefore = server.rssBytes();
    const asking = honestLatencies(port, 3000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const socket of sockets.slice(0, 100)) socket.write('who\n'.repeat(40));
    const latencies = await asking;
    const worst = Math.max(...latencies);
    const growthMB = (server.rssBytes() - rssBefore) / 1e6;
    console.log(
      `who storm: ${members} members, 100 × 40 who; honest member p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `worst ${worst.toFixed(1)} ms; server RSS grew ${growthMB.toFixed(0)} MB`,
    );
    expect(worst).toBeLessThan(1500);
  }, 60_000);

  it('a member that asks for more than it reads is dropped as slow, once, not served without end', async () => {
    const { port, server } = await startServer({ maxQueueBytes: 64 * 1024 });
    const crowd = await Promise.all(Array.from({ length: 200 }, () => silentMember(port)));
    const watcher = await LineClient.join(port);
    const asker = crowd[0]!;
    asker.pause(); // reads nothing
    const askerAddr = formatAddr(asker.localAddress!, asker.localPort!);
    asker.write('who\n'.repeat(1000));
    await watcher.waitForLine((line) => line === `[${askerAddr}]${askerAddr}:下线`);
    expect(server.connectionCount).toBe(200);
    // 200 members listed is ~9 KB a reply: the queue bound (64 KiB) plus what the kernel took, not 1,000.
    expect(server.queuedBytes).toBeLessThan(200 * 1024);
  });
});

describe('join and leave churn', () => {
  it('one address connecting and closing as fast as it can costs everyone else a few lines, not thousands', async () => {
    const { port } = await startServer({
      maxClientsPerIp: DEFAULT_OPTIONS.maxClientsPerIp,
      joinRate: DEFAULT_OPTIONS.joinRate,
      joinBurst: DEFAULT_OPTIONS.joinBurst,
    });
    const watcher = await LineClient.open(port, '127.0.0.1', { localAddress: '127.0.0.2' });
    let attempts = 0;
    let refusals = 0;
    const endAt = performance.now() + 2000;
    while (performance.now() < endAt && attempts < 5000) {
      attempts += 1;
      const socket = connect({ host: '127.0.0.1', port });
      const said = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          socket.destroy();
        });
        socket.on('error', () => resolve(text));
        socket.on('close', () => resolve(text));
      });
      if (said === replies.tooManyConnections()) refusals += 1;
    }
    const presence = (await watcher.settle(300)).filter((line) => /:(已上线|下线)$/.test(line)).length;
    console.log(`churn: ${attempts} connects in 2 s, ${refusals} refused; the watcher saw ${presence} presence lines`);
    expect(refusals).toBeGreaterThan(attempts / 2);
    // The join allowance over 2 s (burst 10, then 2 a second), a join and a leave each, and the watcher's own.
    expect(presence).toBeLessThanOrEqual(1 + 2 * (DEFAULT_OPTIONS.joinBurst + 2 * DEFAULT_OPTIONS.joinRate + 1));
  });

  it('refuses the connection past --max-clients-per-ip with a line, and serves the others', async () => {
    const { port, server } = await startServer({ maxClientsPerIp: 3, joinRate: 0 });
    const members = await Promise.all([1, 2, 3].map(() => LineClient.join(port)));
    const fourth = await LineClient.open(port);
    await fourth.waitForClose();
    expect(fourth.lines).toEqual([replies.tooManyConnections().trimEnd()]);
    const other = await LineClient.open(port, '127.0.0.1', { localAddress: '127.0.0.3' });
    await other.waitForLine((line) => line.endsWith(':已上线'));
    expect(server.connectionCount).toBe(4);
    members[0]!.end();
    await until(() => server.connectionCount === 3, { timeoutMs: 5000, what: 'a member to leave' });
    const again = await LineClient.join(port);
    expect(again.closed).toBe(false);
  });
});

/** Reads a raw socket's text until a reply arrives. */
class ProbeReader {
  private text = '';
  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
  }
  async waitFor(line: string): Promise<string> {
    await until(() => this.text.includes(line), { timeoutMs: 20_000, what: JSON.stringify(line) });
    return line;
  }
}
