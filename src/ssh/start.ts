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

/** An SSH door that is listening: the port it took (the one asked for, or a free one for 0). */
export interface OpenSshDoor {
  port: number;
  /** How many keys the authorized keys file lists, the only ones let in; undefined when anyone may come in. */
  listedKeys: number | undefined;
  stop(): Promise<void>;
}

/** Why the SSH door could not open, in one line for the operator; a listener's failure is its `cause`. */
export class SshDoorError extends Error {}

export async function openSshDoor(chat: ChatServer, settings: SshDoorSettings): Promise<OpenSshDoor> {
  const { host, port, hostKeyPath, authorizedKeysPath, maxSessions, maxSessionsPerIp, lang, logger } = settings;
  let door: SshDoor;
  let authorizedKeys: AuthorizedKeys | undefined;
  try {
    const hostKey = loadOrCreateHostKey(hostKeyPath);
    authorizedKeys = authorizedKeysPath === undefined ? undefined : AuthorizedKeys.load(authorizedKeysPath);
    door = new SshDoor(chat, { host, port, hostKey, authorizedKeys, maxSessions, maxSessionsPerIp, lang, logger });
  } catch (error) {
    if (error instanceof KeyFileError) throw new SshDoorError(error.message);
    throw error;
  }
  try {
    const { port: opened } = await door.start();
    return { port: opened, listedKeys: authorizedKeys?.size, stop: () => door.stop() };
  } catch (error) {
    // A process that goes on without the door (chat-tui --serve) keeps none of its timers.
    void door.stop();
    const message = describeListenError(error as NodeJS.ErrnoException, host, port);
    throw new SshDoorError(`SSH: ${message}`, { cause: error });
  }
}
