import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/chat-server.js', import.meta.url));
const children = new Set<ChildProcess>();

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Log lines as chat-server writes them: JSON objects with an `event`. */
export type LogLine = { event: string } & Record<string, unknown>;

/**
 * `chat-server` as a child process, its stdout and stderr collected. `command` runs something else first
 * (such as `prlimit --nofile=64:64`) that then runs node.
 */
export function launch(args: string[], env: NodeJS.ProcessEnv = {}, command: string[] = []) {
  const [file, ...prefix] = [...command, process.execPath];
  const child = spawn(file!, [...prefix, CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]): Outcome => ({ code: code as number | null, stdout, stderr }));
  const logLines = (): LogLine[] =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return { child, exited, output: () => stdout, logLines };
}

/** Kills every child launch() started that is still running. */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}
