// The chat-tui app, drawn into one SSH channel instead of the process's own terminal.
import chalk from 'chalk';
import { render } from 'ink';
import { useEffect } from 'react';
import { App } from '../tui/app.js';
import type { ChatClient } from '../tui/client.js';
import { labelsFor, type Lang } from '../tui/i18n.js';
import { initialState } from '../tui/store.js';
import type { ChannelTerminal } from './terminal.js';

/**
 * Frames per second one screen may draw at most: what a chat needs, and what keeps many screens cheap
 * when every one of them shows the same broadcast.
 */
const MAX_FPS = 30;

/**
 * Lines of scrollback a screen keeps: every screen holds its own, so hundreds of screens in a long, busy
 * chat hold hundreds of copies (a local chat-tui keeps 5,000).
 */
const SCROLLBACK_LINES = 1000;

// Ink colours by chalk, which judges by the server's own stdout (often a log file). The app uses only
// the 16 named colours, which every pty's terminal shows; a `dumb` one has them taken out again.
if (chalk.level === 0) chalk.level = 1;

export interface Screen {
  /** Resolves when the app has quit (Ctrl+C, /quit) or was stopped. */
  readonly done: Promise<void>;
  /** Takes the app down, for a channel that closed or a chat that ended. */
  stop(): void;
}

/** Draws the app for `client` on `terminal` until the user quits or stop() is called. */
export function drawScreen(terminal: ChannelTerminal, client: ChatClient, lang: Lang): Screen {
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const initial = initialState({ server: client.server, maxLines: SCROLLBACK_LINES });
  const instance = render(
    <Unmounted onUnmount={ended}>
      <App client={client} initial={initial} labels={labelsFor(lang)} gatherMs={0} />
    </Unmounted>,
    {
      stdout: terminal.output as unknown as NodeJS.WriteStream,
      stdin: terminal.input as unknown as NodeJS.ReadStream,
      stderr: terminal.output as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: MAX_FPS,
    },
  );
  // Not waitUntilExit(): each call leaves a process 'beforeExit' listener behind, one per screen.
  return { done, stop: () => instance.unmount() };
}

/** Tells when Ink has taken the app down, however that came about. */
function Unmounted({ onUnmount, children }: { onUnmount: () => void; children: React.ReactNode }) {
  useEffect(() => onUnmount, [onUnmount]);
  return <>{children}</>;
}
