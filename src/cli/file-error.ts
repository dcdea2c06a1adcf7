/** The usual reasons a file cannot be opened, in words; the system's message says the rarer ones. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
};

/** Why a file operation failed, for the end of a one-line error; `words` overrides a code's words. */
export function describeFileError(error: unknown, words: Readonly<Record<string, string>> = {}): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code && (words[code] ?? FILE_ERRORS[code])) || message;
}
