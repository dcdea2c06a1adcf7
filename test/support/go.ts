import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why the tests and the bench that need Go skip on this machine. */
export const GO_MISSING = '`go` is not installed (apt-get install golang-go)';

export type GoBuild = { binary: string } | { skipped: string };

/** Builds the Go program in `sourceDir`, or says why it cannot (no `go` on this machine). */
export async function buildGo(sourceDir: string, name: string): Promise<GoBuild> {
  try {
    await run('go', ['version']);
  } catch {
    return { skipped: GO_MISSING };
  }
  const binary = join(mkdtempSync(join(tmpdir(), 'chat-go-')), name);
  await run('go', ['build', '-o', binary, '.'], {
    cwd: sourceDir,
    env: { ...process.env, GOFLAGS: '-mod=mod', GO111MODULE: 'on' },
  });
  return { binary };
}
