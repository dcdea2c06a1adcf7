// Checks of flag values shared by the commands, each throwing an Error whose message is the one line shown.
import { MAX_NAME_CHARACTERS } from '../protocol/index.js';

const MAX_PORT = 65535;

/** What the user gave, for the end of an error message. */
export function given(value: number): string {
  return Number.isNaN(value) ? '(not a number)' : `(got ${value})`;
}

export function checkWholeNumber(flag: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${flag} must be a whole number from ${min} to ${max} ${given(value)}`);
  }
}

/** A TCP port; 0 asks the system for a free one. */
export function checkPort(value: number, flag = 'port'): void {
  checkWholeNumber(flag, value, 0, MAX_PORT);
}

/** The name rule in words, for an error about a name the server would refuse. */
export const NAME_RULE =
  `1 to ${MAX_NAME_CHARACTERS} letters of any script (with their accents and marks), digits or _ - ., ` +
  'at least one letter or digit, nothing that looks like : [ ] or |';
