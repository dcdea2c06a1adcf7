import { formatAddr } from '../protocol/index.js';

/** Why a listener could not open on host:port, in one line a person can act on. */
export function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = formatAddr(host, port);
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where} is already in use; stop the other server or choose another port`;
    case 'EACCES':
      return `no permission to listen on ${where}; ports below 1024 need privileges`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine; try 127.0.0.1 or 0.0.0.0`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${host}; give an IP address such as 127.0.0.1 or ::1`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}
