// What the pane says about the SSH door of --serve: how to come in by it, or why it stayed shut.
import { formatAddr } from '../protocol/index.js';
import type { SshDoorOutcome } from '../server/embedded.js';
import type { Note } from './notes.js';

/** A door listening on every address is reached on this machine by its loopback address. */
const LOOPBACK_OF: Readonly<Record<string, string>> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

/** The command that comes in by the door at host:port from this machine, as a user would type it. */
export function sshCommand(host: string, port: number): string {
  const target = LOOPBACK_OF[host] ?? host;
  return port === 22 ? `ssh ${target}` : `ssh -p ${port} ${target}`;
}

/** The pane's line about the door asked for at host:port. */
export function sshDoorNote(host: string, port: number, outcome: SshDoorOutcome): Note {
  if (outcome.open) {
    const command = sshCommand(host, outcome.port);
    return outcome.listedKeys === undefined
      ? { key: 'sshOpen', command }
      : { key: 'sshPrivate', command, keys: outcome.listedKeys };
  }
  if (outcome.code === 'EADDRINUSE') return { key: 'sshInUse', where: formatAddr(host, port) };
  if (outcome.code === 'EACCES') return { key: 'sshDenied', where: formatAddr(host, port) };
  return { key: 'sshFailed', reason: outcome.reason };
}
