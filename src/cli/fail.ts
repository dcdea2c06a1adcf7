/** How a command reports bad input: one line on stderr, named after the command, never a stack trace. */
export function errorLine(command: string, message: string): string {
  // yargs words some errors over several lines: one line reads better.
  return `${command}: ${message.replace(/\s*\n\s*/g, ' ')}\n`;
}

/** Prints `message` as the command's one error line and exits with `status` (2: bad input). */
export function fail(command: string, message: string, status = 2): never {
  process.stderr.write(errorLine(command, message));
  process.exit(status);
}
