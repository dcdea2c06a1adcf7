import { describe, expect, it } from 'vitest';
import { describeFileError } from '../../src/cli/file-error.js';

const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('why a file could not be opened', () => {
  it('words the usual codes, and leaves the rest to the system', () => {
    expect(describeFileError(failure('ENOENT', "ENOENT: no such file or directory, open '/x'"))).toBe('no such file');
    expect(describeFileError(failure('EISDIR', 'EISDIR: illegal operation on a directory, read'))).toBe(
      'it is a directory',
    );
    expect(describeFileError(failure('ENOENT', 'ENOENT'), { ENOENT: 'no such directory' })).toBe('no such directory');
    expect(describeFileError(failure('EMFILE', 'EMFILE: too many open files'))).toBe('EMFILE: too many open files');
    expect(describeFileError(new Error('no code'))).toBe('no code');
  });
});
