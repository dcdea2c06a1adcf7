import { createServer, type Server } from 'node:net';

/** `count` different TCP ports of 127.0.0.1 that nothing listened on a moment ago. */
export async function freePorts(count: number): Promise<number[]> {
  // All held open until each is known, so that no two are the same.
  const probes: Server[] = [];
  try {
    const ports: number[] = [];
    for (let index = 0; index < count; index++) {
      const probe = createServer();
      probes.push(probe);
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', resolve);
      });
      ports.push((probe.address() as { port: number }).port);
    }
    return ports;
  } finally {
    await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  }
}

/** A TCP port of 127.0.0.1 that nothing listened on a moment ago. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}
