import { writeSync } from 'node:fs';
import { render } from 'ink';
import { createSupportsHyperlinks } from 'supports-hyperlinks';
import { App } from './app.js';
import type { ChatClient } from './client.js';
import { labelsFor, type Lang } from './i18n.js';
import type { Note } from './notes.js';
import { initialState } from './store.js';
import { coloursWanted, leaveAlternateScreen } from './terminal.js';

export interface RunOptions {
  client: ChatClient;
  lang: Lang;
  name?: string;
  bell: boolean;
  /** An open file descriptor for `--log`. */
  logFd?: number;
  /** A line for the pane once it settles, after the first frame. */
  lateNote?: Promise<Note>;
}

/** Draws the chat (on the alternate screen the command entered) until the user quits or a signal asks us to. */
export async function runApp({ client, lang, name, bell, logFd, lateNote }: RunOptions): Promise<void> {
  // The splash the command drew goes; Ink draws its first frame in the same write burst, so nothing flickers.
  process.stdout.write('\x1b[H\x1b[2J');
  const initial = initialState({ server: client.server, name, bell });
  const instance = render(
    <App
      client={client}
      initial={initial}
      labels={labelsFor(lang)}
      colour={coloursWanted(process.env)}
      links={createSupportsHyperlinks(process.stdout)}
      signal={(sequence) => process.stdout.write(sequence)}
      // Written at once, so that what was said is on disk even if the machine goes down a moment later.
      transcript={logFd === undefined ? undefined : (text) => writeSync(logFd, text)}
      lateNote={lateNote}
    />,
    {
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
      // Not incrementalRendering: in Ink 6.8 it loses track of the cursor here and leaves a second header
      // or status bar on screen (the end-to-end frame checks catch it).
    },
  );
  const quit = () => instance.unmount();
  const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
  for (const signal of signals) process.on(signal, quit);
  try {
    await instance.waitUntilExit();
  } finally {
    for (const signal of signals) process.off(signal, quit);
    instance.cleanup();
    leaveAlternateScreen();
  }
}
