#!/usr/bin/env node
// The build also bundles the command into one file, which starts faster than its modules one by one.
import { isBundleCurrent } from '../dist/cli/bundle.js';

const bundle = new URL('../dist/tui/cli.bundle.js', import.meta.url);
await import(
  isBundleCurrent(bundle, new URL('../dist/tui/cli.js', import.meta.url)) ? bundle.href : '../dist/tui/cli.js'
);
