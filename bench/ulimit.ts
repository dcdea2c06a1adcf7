import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const WANTED_OPEN_FILES = 65_536;
const MARK = 'CHAT_BENCH_ULIMIT_RAISED';

function openFileLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !match || match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

/**
 * Ten thousand connections need twice as many descriptors (both ends live on this machine) as the usual
 * limit allows. Node cannot raise its own limit, so when it is too low the bench runs itself again under
 * `ulimit -n` as high as permitted, and returns the child's exit code; the servers it starts inherit it.
 * Returns undefined when this process may go on.
 */
export function rerunWithMoreOpenFiles(): number | undefined {
  if (openFileLimit() >= WANTED_OPEN_FILES || process.env[MARK]) return undefined;
  const script = `ulimit -n ${WANTED_OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`;
  const child = spawnSync(
    'bash',
    ['-c', script, 'bench', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, [MARK]: '1' },
    },
  );
  return child.status ?? 1;
}

export function currentOpenFileLimit(): number {
  return openFileLimit();
}
