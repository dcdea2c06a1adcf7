import { isIPv4, isIPv6 } from 'node:net';

const IPV4_MAPPED_PREFIX = '::ffff:';

/** The peer address as Go's net.Addr.String() writes it: `1.2.3.4:80`, `[::1]:80`; IPv4-mapped IPv6 as IPv4. */
export function formatAddr(ip: string, port: number): string {
  const lower = ip.toLowerCase();
  if (lower.startsWith(IPV4_MAPPED_PREFIX) && isIPv4(ip.slice(IPV4_MAPPED_PREFIX.length))) {
    return `${ip.slice(IPV4_MAPPED_PREFIX.length)}:${port}`;
  }
  return isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
}
