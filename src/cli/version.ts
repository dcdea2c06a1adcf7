import { readFileSync } from 'node:fs';

/** The package's version, for `--version`. The same path holds from dist/cli and from the bundled client. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
