const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?25h\x1b[?1049l';

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
