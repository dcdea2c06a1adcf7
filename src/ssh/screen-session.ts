import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type ssh2 from 'ssh2';
import { replies } from '../protocol/index.js';
import type { Session } from '../server/chat/session.js';
import { ChatClient } from '../tui/client.js';
import { SharedParser } from '../tui/shared-parser.js';
import type { Lang } from '../tui/i18n.js';
import { streamTransport } from '../tui/transport.js';
import { pacedPair, type GatherMs } from './paced-pair.js';
import { LONGEST_GATHER_MS } from './pacing.js';
import { drawScreen } from './screen.js';
import { ChannelTerminal, type PtySize } from './terminal.js';

/** How long the last frame stays up when the room ends the chat, before the screen is taken down. */
const LAST_FRAME_MS = 300;
/** The last lines a room says to someone it closes: shown again on the user's own screen. */
const FAREWELLS: ReadonlySet<string> = new Set(
  [replies.serverClosing(), replies.idleKick(), replies.signedInElsewhere()].map((line) => line.trimEnd()),
);
const TAIL_BYTES = 256;
/** One broadcast reaches every screen within the longest gather: they share its events while it does. */
const sharedParser = new SharedParser(LONGEST_GATHER_MS);

export interface ScreenSessionOptions {
  channel: ssh2.ServerChannel;
  pty: PtySize;
  lang: Lang;
  /** What the header shows as the server. */
  label: string;
  /** How long the room's lines gather before they reach the screen (and it draws them), asked anew each time. */
  gatherMs: GatherMs;
  /** Frames a client has not taken, in bytes, before it is let go as too slow. */
  maxBufferedBytes: number;
  log: Logger;
  addr: string;
  /** Brings the user into the room over `stream`: ChatServer.open with the user's address and name. */
  open(stream: Duplex): Session | undefined;
}

export interface ScreenSession {
  session: Session;
  resize(columns: number, rows: number): void;
}

/**
 * An SSH user with a pty: the chat-tui app in-process, drawn into the channel, talking to the room over
 * an in-process stream into a Session of its own. The user leaves by quitting the app (the channel
 * closes with exit status 0), by dropping the connection (offline at once), or is closed by the room
 * (shutdown, idle kick), whose last word is then left on the user's own screen.
 */
export function startScreenSession(options: ScreenSessionOptions): ScreenSession | undefined {
  const { channel, log, addr } = options;
  const { room, screen: screenEnd } = pacedPair(options.gatherMs);
  const session = options.open(room);
  if (session === undefined) {
    // Turned away: the room's end says why and closes. The user reads it as a plain line.
    screenEnd.on('data', (chunk: Buffer) => channel.write(chunk.toString().replace(/\n/g, '\r\n')));
    screenEnd.once('end', () => channel.end());
    return undefined;
  }
  const terminal = new ChannelTerminal(channel, options.pty, options.maxBufferedBytes, () => {
    log.warn({ event: 'ssh-drop', addr, reason: 'screen-not-read' });
    channel.destroy();
    screenEnd.destroy();
  });
  terminal.enterAlternateScreen();
  // The end of what the room said, read only once it has closed: enough to hold any farewell line.
  let tail: Buffer = Buffer.alloc(0);
  screenEnd.on('data', (chunk: Buffer) => {
    // A copy: a view would keep the whole batch it came in alive.
    tail = Buffer.from((chunk.length >= TAIL_BYTES ? chunk : Buffer.concat([tail, chunk])).subarray(-TAIL_BYTES));
  });
  const client = new ChatClient({ transport: streamTransport(screenEnd, options.label), parse: sharedParser.parse });
  void client.connect().catch(() => {});
  const screen = drawScreen(terminal, client, options.lang);
  let closedByRoom = false;
  screenEnd.once('close', () => {
    if (!channel.writable) return;
    closedByRoom = true;
    setTimeout(() => screen.stop(), LAST_FRAME_MS).unref();
  });
  channel.once('close', () => {
    screen.stop();
    client.close();
  });
  void screen.done.then(() => {
    client.close();
    const lastLine = tail.toString().trimEnd().split('\n').at(-1) ?? '';
    const farewell = closedByRoom && FAREWELLS.has(lastLine) ? `${lastLine}\n` : undefined;
    terminal.leaveAlternateScreen(farewell);
    channel.end();
  });
  return { session, resize: (columns, rows) => terminal.output.resize(columns, rows) };
}
