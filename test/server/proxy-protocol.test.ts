// Behind a load balancer that speaks the PROXY protocol, the room shows and limits clients by their own
// addresses, and nobody else can claim an address.
import {
  Command,
  IPv4Address,
  IPv4ProxyAddress,
  IPv6Address,
  IPv6ProxyAddress,
  TransportProtocol,
  V2ProxyProtocol,
} from 'proxy-protocol-js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProxyHeader, TrustedProxies } from '../../src/server/proxy-header.js';
import { LineClient, startServer, stopAll } from '../support/chat-server.js';

afterEach(stopAll);

const v1 = (ip: string, port: number) => `PROXY TCP4 ${ip} 127.0.0.1 ${port} 8888\r\n`;

function v2(source: number[], port: number, command = Command.PROXY): Buffer {
  const address =
    source.length === 4
      ? new IPv4ProxyAddress(IPv4Address.createFrom(source), port, IPv4Address.createFrom([127, 0, 0, 1]), 8888)
      : new IPv6ProxyAddress(IPv6Address.createFrom(source), port, IPv6Address.createFrom(Array(16).fill(0)), 8888);
  return Buffer.from(new V2ProxyProtocol(command, TransportProtocol.STREAM, address).build());
}

/** A connection from the balancer, for the client at `addr`; waits for that client's own `已上线`. */
async function joinThrough(port: number, header: string | Buffer, addr: string): Promise<LineClient> {
  const client = await LineClient.open(port);
  client.send(header);
  await client.waitForLine((line) => line === `[${addr}]${addr}:已上线`);
  client.addr = addr;
  return client;
}

describe('the PROXY protocol from a trusted balancer', () => {
  it('shows each client by its own address, v1 and v2, to everyone and in who', async () => {
    const { port } = await startServer({ proxyFrom: ['127.0.0.0/8'] });
    const alice = await joinThrough(port, v1('203.0.113.7', 40001), '203.0.113.7:40001');
    const bob = await joinThrough(port, v2([198, 51, 100, 9], 40002), '198.51.100.9:40002');
    const carol = await joinThrough(
      port,
      v2([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1], 40003),
      '[2001:db8::1]:40003',
    );
    await alice.waitForLine((line) => line === '[198.51.100.9:40002]198.51.100.9:40002:已上线');
    bob.send('hi\n');
    await carol.waitForLine((line) => line === '[198.51.100.9:40002]198.51.100.9:40002:hi');
    const who = await alice.request('who\n', 3);
    expect(who).toEqual([
      '[203.0.113.7:40001]203.0.113.7:40001:在线...',
      '[198.51.100.9:40002]198.51.100.9:40002:在线...',
      '[[2001:db8::1]:40003][2001:db8::1]:40003:在线...',
    ]);
  });

  it('keeps the bytes that came with the header, split anywhere', async () => {
    const { port } = await startServer({ proxyFrom: ['127.0.0.1'] });
    const watcher = await joinThrough(port, v1('203.0.113.1', 1), '203.0.113.1:1');
    const client = await LineClient.open(port);
    const bytes = Buffer.concat([v2([203, 0, 113, 2], 2), Buffer.from('rename|dora\nhello\n')]);
    for (let at = 0; at < bytes.length; at += 7) {
      client.send(bytes.subarray(at, at + 7));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await watcher.waitForLine((line) => line === '[203.0.113.2:2]dora:hello');
  });

  it("limits connections by the client's address, not the balancer's", async () => {
    const { port } = await startServer({ proxyFrom: ['127.0.0.1'], maxClientsPerIp: 1 });
    await joinThrough(port, v1('203.0.113.7', 1), '203.0.113.7:1');
    // Another client behind the same balancer gets in; the same client twice does not.
    await joinThrough(port, v1('203.0.113.8', 2), '203.0.113.8:2');
    const again = await LineClient.open(port);
    again.send(v1('203.0.113.7', 3));
    await again.waitForLine((line) => line === '来自您地址的连接过多，请稍后再试');
  });

  it("takes the balancer's health checks (LOCAL, UNKNOWN) as the balancer itself", async () => {
    const { port } = await startServer({ proxyFrom: ['127.0.0.1'] });
    const local = await LineClient.open(port);
    local.send(v2([0, 0, 0, 0], 0, Command.LOCAL));
    await local.waitForLine((line) => line === `[${local.addr}]${local.addr}:已上线`);
    const unknown = await LineClient.open(port);
    unknown.send('PROXY UNKNOWN\r\n');
    await unknown.waitForLine((line) => line === `[${unknown.addr}]${unknown.addr}:已上线`);
  });

  it('cuts a trusted connection whose header is missing or wrong, and serves everyone else', async () => {
    const { port } = await startServer({ proxyFrom: ['127.0.0.1'] });
    const honest = await joinThrough(port, v1('203.0.113.7', 1), '203.0.113.7:1');
    for (const bad of ['hello\n', 'PROXY TCP4 not-an-ip 127.0.0.1 1 2\r\n', `PROXY TCP4 ${'9'.repeat(120)}`]) {
      const client = await LineClient.open(port);
      client.send(bad);
      await client.waitForClose();
      expect(client.lines).toEqual([]);
    }
    honest.send('still here\n');
    await honest.waitForLine((line) => line === '[203.0.113.7:1]203.0.113.7:1:still here');
  });

  it('does not wait for a header that has not come when the server stops', async () => {
    const { server, port } = await startServer({ proxyFrom: ['127.0.0.1'] });
    const silent = await LineClient.open(port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.stop();
    await silent.waitForClose(1000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('serves a connection from anywhere else as it is, whatever it claims', async () => {
    const { port } = await startServer({ proxyFrom: ['10.0.0.0/8'] });
    const client = await LineClient.join(port);
    client.send(v1('203.0.113.7', 1));
    await client.waitForLine(
      (line) => line === `[${client.addr}]${client.addr}:PROXY TCP4 203.0.113.7 127.0.0.1 1 8888`,
    );
  });
});

describe('parseProxyHeader', () => {
  it('waits for the rest of a header, and says where it ends', () => {
    const header = v2([203, 0, 113, 2], 2);
    for (let length = 1; length < header.length; length++) {
      expect(parseProxyHeader(header.subarray(0, length)).kind).toBe('incomplete');
    }
    expect(parseProxyHeader(Buffer.concat([header, Buffer.from('who\n')]))).toEqual({
      kind: 'header',
      length: header.length,
      source: { ip: '203.0.113.2', port: 2 },
    });
    expect(parseProxyHeader(Buffer.from('PROX')).kind).toBe('incomplete');
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 ::1 ::1 5 6\r\n'))).toMatchObject({
      source: { ip: '::1', port: 5 },
    });
  });

  it('refuses what is not a header', () => {
    for (const bad of [
      'who\n',
      'PROXY TCP4 ::1 ::1 1 2\r\n',
      'PROXY TCP4 1.2.3.4 1.2.3.4 70000 1\r\n',
      'PROXY FOO\r\n',
    ]) {
      expect(parseProxyHeader(Buffer.from(bad)).kind).toBe('invalid');
    }
  });
});

describe('TrustedProxies', () => {
  it('matches addresses and ranges of both families, IPv4 seen through IPv6 too', () => {
    const trusted = new TrustedProxies(['10.0.0.0/8', '192.0.2.5', '2001:db8::/32']);
    expect(trusted.includes('10.1.2.3')).toBe(true);
    expect(trusted.includes('::ffff:10.1.2.3')).toBe(true);
    expect(trusted.includes('192.0.2.5')).toBe(true);
    expect(trusted.includes('192.0.2.6')).toBe(false);
    expect(trusted.includes('2001:db8::7')).toBe(true);
    expect(trusted.includes('127.0.0.1')).toBe(false);
    expect(new TrustedProxies([]).includes('127.0.0.1')).toBe(false);
    expect(() => new TrustedProxies(['10.0.0.0/33'])).toThrow('not an address or a CIDR range: "10.0.0.0/33"');
  });
});
