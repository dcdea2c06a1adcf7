// The window title is saved on the way in and restored on the way out (XTWINOPS 22/23): the unread count
// the screen puts there must not outlive it.
const ENTER_ALTERNATE_SCREEN = '\x1b[22;0t\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?25h\x1b[?1049l\x1b[23;0t';

let restoreScreen: (() => void) | undefined;

/**
 * Switches to the alternate screen buffer. The returned function (also run on process exit, so a crash
 * cannot skip it) brings back the user's screen and cursor exactly as they were; it runs once.
 */
export function enterAlternateScreen(stdout: NodeJS.WriteStream): () => void {
  stdout.write(ENTER_ALTERNATE_SCREEN);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    restoreScreen = undefined;
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  };
  process.on('exit', restore);
  restoreScreen = restore;
  return restore;
}

/** For crash handlers: leave the alternate screen if we are in it. */
export function leaveAlternateScreen(): void {
  restoreScreen?.();
}

/** What the splash shows: the first frame's fixed parts, in plain text. */
export interface Splash {
  title: string;
  status: string;
  modes: string;
  hints: string;
}

/**
 * A first frame drawn with plain escapes while Ink and React load: header, separator, status bar and
 * prompt where the real frame puts them. Ink clears it when it draws its own first frame.
 */
export function drawSplash(stdout: NodeJS.WriteStream, splash: Splash, colour = true): void {
  const paint = (code: string) => (colour ? `\x1b[${code}m` : '');
  const columns = stdout.columns || 80;
  const rows = stdout.rows || 24;
  const at = (row: number) => `\x1b[${row};1H`;
  const fill = (left: string, right: string) => ' '.repeat(Math.max(1, columns - left.length - right.length - 1));
  stdout.write(
    `${at(1)}\x1b[1m${splash.title}\x1b[22m${fill(splash.title, splash.status)}${paint('33')}${splash.status}${paint('39')}` +
      `${at(rows - 3)}\x1b[2m${'─'.repeat(columns)}\x1b[22m` +
      `${at(rows - 2)}${splash.modes}${fill(splash.modes, splash.hints)}\x1b[2m${splash.hints}\x1b[22m` +
      `${at(rows - 1)}${paint('36')}\x1b[1m› \x1b[0m`,
  );
}

/**
 * Whether the screen may use colour. NO_COLOR (https://no-color.org), set and not empty, turns colour off;
 * bold, dim, inverse and underline stay, so own lines, private lines and the active mode still stand out.
 */
export function coloursWanted(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR;
}
