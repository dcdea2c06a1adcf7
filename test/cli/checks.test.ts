import { describe, expect, it } from 'vitest';
import { checkPort, checkWholeNumber, NAME_RULE } from '../../src/cli/checks.js';
import { errorLine } from '../../src/cli/fail.js';
import { MAX_NAME_CHARACTERS } from '../../src/protocol/index.js';

describe('the checks both commands share', () => {
  it('accepts ports from 0 to 65535 and says what it got otherwise', () => {
    expect(() => checkPort(0)).not.toThrow();
    expect(() => checkPort(65535)).not.toThrow();
    expect(() => checkPort(70000)).toThrow('--port must be a whole number from 0 to 65535 (got 70000)');
    expect(() => checkPort(Number.NaN)).toThrow('--port must be a whole number from 0 to 65535 (not a number)');
    expect(() => checkPort(1.5)).toThrow('(got 1.5)');
  });

  it('words whole-number limits with the flag and its range', () => {
    expect(() => checkWholeNumber('max-clients', 0, 1)).toThrow(
      `--max-clients must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (got 0)`,
    );
  });

  it('states the name rule with the protocol limit', () => {
    expect(NAME_RULE).toContain(`1 to ${MAX_NAME_CHARACTERS} `);
  });

  it('prints one line for a message yargs broke over several', () => {
    expect(errorLine('chat-server', 'Unknown arguments:\n  bogus,\n  other')).toBe(
      'chat-server: Unknown arguments: bogus, other\n',
    );
  });
});
