// The one door from the client into the server: `chat-tui --serve` starts a server in its own process.
import { pino } from 'pino';
import { ChatServer } from './chat-server.js';
import { describeListenError } from './listen-error.js';

export interface EmbeddedServer {
  port: number;
  stop(): Promise<void>;
}

/** A listener could not open; the message is one line for the user. */
export class EmbeddedServerError extends Error {}

/** A chat server with default limits that logs nothing (it shares the terminal with the screen). */
export async function startEmbeddedServer(host: string, port: number): Promise<EmbeddedServer> {
  const server = new ChatServer({ host, port, logger: pino({ level: 'silent' }) });
  try {
    const address = await server.start();
    return { port: address.port, stop: () => server.stop() };
  } catch (error) {
    throw new EmbeddedServerError(describeListenError(error as NodeJS.ErrnoException, host, port));
  }
}
