#!/usr/bin/env node
// The build also bundles the command into one file, which starts faster than its modules one by one.
// After a plain `tsc` that bundle may be stale, so it is used only when it is not older than the modules.
import { statSync } from 'node:fs';

const modifiedAt = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = modifiedAt('../dist/tui/cli.bundle.js') >= modifiedAt('../dist/tui/cli.js');
await import(bundled ? '../dist/tui/cli.bundle.js' : '../dist/tui/cli.js');
