export interface UntilOptions {
  /** How long to keep trying before failing the test. */
  timeoutMs?: number;
  /** The pause between two tries. */
  everyMs?: number;
  /** What is awaited, for the error: "the server to listen". */
  what?: string;
  /** What there was instead, for the error: the last frame, the last lines read. */
  seen?: () => string;
}

/**
 * Tries `condition` until it holds, and fails after `timeoutMs` saying what it waited for and what it saw.
 * The condition may be a probe that returns a promise, or a block of `expect`s: returning `false` or
 * throwing means "not yet", and a timeout rethrows the last assertion that failed.
 */
export async function until(
  condition: () => boolean | void | Promise<boolean | void>,
  { timeoutMs = 3_000, everyMs = 10, what = 'a condition', seen }: UntilOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      if ((await condition()) !== false) return;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) {
      if (failure !== undefined) throw failure;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen:\n${seen()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
