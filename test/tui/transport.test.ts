import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LineSplitter, replies } from '../../src/protocol/index.js';
import { ChatClient, type ClientEvent } from '../../src/tui/client.js';
import { streamPair, streamTransport, tcpTransport, ConnectError } from '../../src/tui/transport.js';
import { until } from '../support/until.js';

/** The server's end of an in-process stream: reads commands line by line, and writes what the test says. */
class ScriptedPeer {
  readonly lines: string[] = [];
  private readonly splitter = new LineSplitter();

  constructor(readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      for (const framed of this.splitter.push(chunk)) if (framed.kind === 'line') this.lines.push(framed.text);
    });
  }

  write(line: string): void {
    this.stream.write(line);
  }
}

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function overStreams(name?: string) {
  const [clientSide, serverSide] = streamPair();
  const peer = new ScriptedPeer(serverSide);
  const client = new ChatClient({ transport: streamTransport(clientSide, 'ssh'), name, writeGapMs: 1 });
  const events: ClientEvent[] = [];
  client.subscribe((event) => events.push(event));
  cleanups.push(() => client.close());
  return { client, peer, events };
}

describe('ChatClient over an in-process stream', () => {
  it('speaks the protocol both ways, exactly as over TCP', async () => {
    const { client, peer, events } = overStreams('alice');
    await client.connect();
    expect(client.server).toBe('ssh');
    peer.write(replies.joined('10.1.2.3:4000', '10.1.2.3:4000'));
    await until(() => expect(peer.lines).toEqual(['rename|alice', 'who']));
    peer.write(replies.renamed('alice'));
    peer.write(replies.public('10.9.9.9:5', 'bob', 'hi alice'));
    await until(() =>
      expect(events).toContainEqual({
        type: 'server',
        event: { type: 'public', addr: '10.9.9.9:5', name: 'bob', text: 'hi alice' },
      }),
    );
    // No local address on a stream: the first joined line of the connection is ours.
    expect(client.selfAddr).toBe('10.1.2.3:4000');
    client.sendPublic('hello');
    client.sendPrivate('bob', 'psst');
    await until(() => expect(peer.lines).toEqual(['rename|alice', 'who', 'hello', 'to|bob|psst', '']));
    expect(events).toContainEqual({ type: 'privateSent', to: 'bob', text: 'psst', id: 0 });
  });

  it('ends the chat when the stream closes, without trying to open it again', async () => {
    const { client, peer, events } = overStreams();
    await client.connect();
    peer.write(replies.serverClosing());
    peer.stream.end();
    await until(() => expect(events.some((event) => event.type === 'disconnected')).toBe(true));
    expect(events.find((event) => event.type === 'disconnected')).toEqual({
      type: 'disconnected',
      reason: 'closed',
      kicked: false,
    });
    expect(events).toContainEqual({ type: 'server', event: { type: 'serverClosing' } });
    client.reconnectNow();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events.filter((event) => event.type === 'connecting')).toHaveLength(1);
    expect(client.sendPublic('anyone?')).toBe(false);
  });

  it('closes the peer’s end when the user quits', async () => {
    const { client, peer } = overStreams();
    await client.connect();
    const closed = new Promise((resolve) => peer.stream.once('close', resolve));
    client.close();
    await closed;
  });
});

describe('transports', () => {
  it('a stream pair carries bytes both ways and holds a writer back until the reader takes them', async () => {
    const [a, b] = streamPair();
    const received: string[] = [];
    b.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    await new Promise<void>((resolve) => a.write('ping', () => resolve()));
    expect(received).toEqual(['ping']);
    const paused = streamPair();
    let written = false;
    paused[0].write(Buffer.alloc(64 * 1024), () => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written).toBe(false);
    paused[1].resume();
    await until(() => expect(written).toBe(true));
    for (const side of [a, b, ...paused]) side.destroy();
  });

  it('a TCP transport says in one line why it cannot connect', async () => {
    const error = await tcpTransport('127.0.0.1', 1)
      .open()
      .catch((error: unknown) => error);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).message).toMatch(/^cannot connect to 127\.0\.0\.1:1: connection refused\./);
  });
});
