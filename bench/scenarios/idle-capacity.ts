import { joinCrowd, leave, settle, sleep } from '../crowd.js';
import { residentBytes } from '../process-stats.js';
import { round, withServer, type Scenario } from '../scenario.js';

/** Many users online and quiet: what each costs the server in memory, and how long they take to join. */
export function idleCapacity(clients: number): Scenario {
  return {
    name: `idle-${clients}`,
    title: `idle capacity, ${clients} connections`,
    needsOwnServer: true,
    async run(target) {
      return withServer(target, async (server) => {
        await sleep(500);
        const before = server.pid === undefined ? undefined : residentBytes(server.pid);
        // Every join is announced to everyone online: joining N users sends N²/2 lines.
        const crowd = await joinCrowd(server, clients, 500, 120_000);
        try {
          await settle(crowd.clients, 500, 60_000);
          await sleep(1000);
          const after = server.pid === undefined ? undefined : residentBytes(server.pid);
          const perConnection = before !== undefined && after !== undefined ? (after - before) / clients : undefined;
          return {
            scenario: this.name,
            target: target.name,
            metrics: [
              { key: 'rssPerConnKiB', label: 'server RSS per connection', unit: 'KiB', value: round(perConnection && perConnection / 1024, 2), better: 'lower' },
              { key: 'rssBeforeMiB', label: 'server RSS before', unit: 'MiB', value: round(before && before / 2 ** 20) },
              { key: 'rssAfterMiB', label: 'server RSS after', unit: 'MiB', value: round(after && after / 2 ** 20), better: 'lower' },
              { key: 'joinAllS', label: 'all joined in', unit: 's', value: round(crowd.joinMs / 1000, 2), better: 'lower' },
            ],
            notes: before === undefined ? ['server RSS unknown: the bench did not start this server'] : [],
          };
        } finally {
          leave(crowd.clients);
        }
      });
    },
  };
}
