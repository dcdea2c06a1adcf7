import { statSync } from 'node:fs';

/**
 * Whether a bundle built from some modules may stand in for them: it loads faster than the modules one by
 * one, but after a plain `tsc` it is stale, so it counts only when it is not older than `modules`.
 */
export function isBundleCurrent(bundle: URL, modules: URL): boolean {
  const modified = (url: URL) => statSync(url, { throwIfNoEntry: false })?.mtimeMs;
  const bundled = modified(bundle);
  const compiled = modified(modules);
  return bundled !== undefined && (compiled === undefined || bundled >= compiled);
}
