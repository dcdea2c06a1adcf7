// What the chat-server command calls to open the SSH door: keys loaded, listener open, errors in one line.
import type { Logger } from 'pino';
import type { ChatServer } from '../server/chat-server.js';
import type { Lang } from '../tui/i18n.js';
import { describeListenError } from '../server/listen-error.js';
import { SshDoor } from './door.js';
import { AuthorizedKeys, KeyFileError, loadOrCreateHostKey } from './keys.js';

export interface SshDoorSettings {
  host: string;
  port: number;
  hostKeyPath: string;
  authorizedKeysPath: string | undefined;
  maxSessions: number;
  maxSessionsPerIp: number;
  lang: Lang;
  logger: Logger;
}

/** Why the SSH door could not open, in one line for the operator. */
export class SshDoorError extends Error {}

export async function openSshDoor(chat: ChatServer, settings: SshDoorSettings): Promise<SshDoor> {
  const { host, port, hostKeyPath, authorizedKeysPath, maxSessions, maxSessionsPerIp, lang, logger } = settings;
  let door: SshDoor;
  try {
    const hostKey = loadOrCreateHostKey(hostKeyPath);
    const authorizedKeys = authorizedKeysPath === undefined ? undefined : AuthorizedKeys.load(authorizedKeysPath);
    door = new SshDoor(chat, { host, port, hostKey, authorizedKeys, maxSessions, maxSessionsPerIp, lang, logger });
  } catch (error) {
    if (error instanceof KeyFileError) throw new SshDoorError(error.message);
    throw error;
  }
  try {
    await door.start();
  } catch (error) {
    throw new SshDoorError(`SSH: ${describeListenError(error as NodeJS.ErrnoException, host, port)}`);
  }
  return door;
}
