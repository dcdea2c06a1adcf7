// The PROXY protocol (v1 text, v2 binary) as a TCP load balancer such as HAProxy sends it (`send-proxy`,
// `send-proxy-v2`): the client's own address, before the client's first byte.
import type { Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Command, IPv4ProxyAddress, IPv6ProxyAddress, V1ProxyProtocol, V2ProxyProtocol } from 'proxy-protocol-js';

/** A v1 line is at most 107 bytes; a v2 header with the TLVs HAProxy adds fits in 536 (its own bound). */
const MAX_V1_BYTES = 107;
const MAX_HEADER_BYTES = 536;
const V1_SIGNATURE = Buffer.from('PROXY ');
const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
const V2_FIXED_BYTES = 16;

/** Where the client connects from; absent when the balancer speaks for itself (a health check). */
export interface ProxiedSource {
  ip: string;
  port: number;
}

export type HeaderResult =
  | { kind: 'header'; length: number; source?: ProxiedSource }
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string };

/** Reads a PROXY header from the start of `bytes`: how long it is and whom it names. */
export function parseProxyHeader(bytes: Buffer): HeaderResult {
  if (startsLike(bytes, V2_SIGNATURE)) return bytes.length < V2_SIGNATURE.length ? incomplete() : parseV2(bytes);
  if (startsLike(bytes, V1_SIGNATURE)) return parseV1(bytes);
  return invalid('not a PROXY protocol header');
}

function parseV2(bytes: Buffer): HeaderResult {
  if (bytes.length < V2_FIXED_BYTES) return incomplete();
  const length = V2_FIXED_BYTES + bytes.readUInt16BE(14);
  if (length > MAX_HEADER_BYTES) return invalid(`a v2 header of ${length} bytes`);
  if (bytes.length < length) return incomplete();
  let header: V2ProxyProtocol;
  try {
    header = V2ProxyProtocol.parse(bytes.subarray(0, length));
  } catch (error) {
    return invalid((error as Error).message);
  }
  if (header.command === Command.LOCAL) return { kind: 'header', length };
  const address = header.proxyAddress;
  if (address instanceof IPv4ProxyAddress || address instanceof IPv6ProxyAddress) {
    return checked(length, ipaddr.fromByteArray(address.sourceAddress.address).toString(), address.sourcePort);
  }
  // A Unix socket or an unspecified family: nothing to name the client by.
  return { kind: 'header', length };
}

function parseV1(bytes: Buffer): HeaderResult {
  const end = bytes.subarray(0, MAX_V1_BYTES).indexOf('\r\n');
  if (end === -1) return bytes.length >= MAX_V1_BYTES ? invalid('a v1 header without its end') : incomplete();
  const length = end + 2;
  const line = bytes.subarray(0, length).toString('latin1');
  if (line.startsWith('PROXY UNKNOWN')) return { kind: 'header', length };
  let header: V1ProxyProtocol;
  try {
    header = V1ProxyProtocol.parse(line);
  } catch (error) {
    return invalid((error as Error).message);
  }
  const { ipAddress, port } = header.source;
  const family = header.inetProtocol === 'TCP4' ? 'ipv4' : 'ipv6';
  const address = ipaddr.isValid(ipAddress) ? ipaddr.parse(ipAddress) : undefined;
  if (address?.kind() !== family) return invalid(`not an ${family} address: ${ipAddress}`);
  return checked(length, address.toString(), port);
}

function checked(length: number, ip: string, port: number): HeaderResult {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return invalid(`port ${port}`);
  return { kind: 'header', length, source: { ip, port } };
}

/** Whether `bytes` so far agree with `signature` (both may be shorter than the other). */
function startsLike(bytes: Buffer, signature: Buffer): boolean {
  const length = Math.min(bytes.length, signature.length);
  return length > 0 && bytes.compare(signature, 0, length, 0, length) === 0;
}

const incomplete = (): HeaderResult => ({ kind: 'incomplete' });
const invalid = (reason: string): HeaderResult => ({ kind: 'invalid', reason });

/**
 * Takes the PROXY header off the front of `socket`, within `deadlineMs`: resolves with whom it names (or
 * nothing, for the balancer's own checks), the socket paused with every byte after the header still to
 * read. Rejects, leaving the socket to the caller, on a bad header, a close, or the deadline.
 */
export function readProxyHeader(socket: Socket, deadlineMs: number): Promise<ProxiedSource | undefined> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const done = (error?: Error, source?: ProxiedSource) => {
      clearTimeout(timer);
      socket.off('data', onData).off('close', onClose).off('error', onClose);
      if (error) reject(error);
      else resolve(source);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const result = parseProxyHeader(received);
      if (result.kind === 'incomplete') {
        if (received.length >= MAX_HEADER_BYTES) done(new Error('a PROXY header too long'));
        return;
      }
      if (result.kind === 'invalid') return done(new Error(result.reason));
      socket.pause();
      if (received.length > result.length) socket.unshift(received.subarray(result.length));
      done(undefined, result.source);
    };
    const onClose = () => done(new Error('closed before its PROXY header'));
    const timer = setTimeout(() => done(new Error('no PROXY header in time')), deadlineMs);
    socket.on('data', onData).once('close', onClose).once('error', onClose);
  });
}

/** Addresses and CIDR ranges (`10.0.0.5`, `10.0.0.0/8`, `::1`) whose connections start with a PROXY header. */
export class TrustedProxies {
  private readonly ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

  /** Throws an Error that names the first entry that is no address or range. */
  constructor(entries: readonly string[]) {
    this.ranges = entries.map((entry) => {
      try {
        if (entry.includes('/')) return ipaddr.parseCIDR(entry);
        const address = ipaddr.parse(entry);
        return [address, address.kind() === 'ipv4' ? 32 : 128];
      } catch {
        throw new Error(`--proxy-from: not an address or a CIDR range: "${entry}"`);
      }
    });
  }

  get any(): boolean {
    return this.ranges.length > 0;
  }

  includes(ip: string): boolean {
    if (this.ranges.length === 0 || !ipaddr.isValid(ip)) return false;
    const address = ipaddr.process(ip);
    return this.ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
  }
}
