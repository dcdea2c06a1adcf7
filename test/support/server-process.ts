import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/chat-server.js', import.meta.url));
const running = new Set<ChildProcess>();

export interface ServerProcess {
  port: number;
  pid: number;
  /** The server's resident memory now, in bytes (Linux). */
  rssBytes(): number;
}

/**
 * The chat-server command as a process of its own on 127.0.0.1 and a free port: for tests whose figures
 * (memory, latency under load) must not include the test's own clients. Stopped by stopServerProcesses().
 */
export async function startServerProcess(args: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, '--ip', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  const port = await new Promise<number>((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const listening = log.split('\n').find((line) => line.includes('"event":"listening"'));
      if (!listening) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume(); // the rest of the log is not read, and must not fill the pipe
      resolve((JSON.parse(listening) as { port: number }).port);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`chat-server exited (${code}) before listening: ${log}`)));
  });
  const pid = child.pid!;
  return { port, pid, rssBytes: () => residentBytes(pid) };
}

export async function stopServerProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
}

function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return kib ? Number(kib[1]) * 1024 : 0;
}
