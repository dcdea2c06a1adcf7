import { joinCrowd, leave, settle, sleep } from '../crowd.js';
import { residentBytes } from '../process-stats.js';
import { round, withServer, type Scenario } from '../scenario.js';

const JOIN_TIME_LIMIT_MS = 45_000;

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
        const crowd = await joinCrowd(server, clients, 2000, JOIN_TIME_LIMIT_MS);
        try {
          await settle(crowd.clients, 500, 10_000);
          await sleep(1000);
          const after = server.pid === undefined ? undefined : residentBytes(server.pid);
          const online = crowd.clients.length;
          const perConnection = before !== undefined && after !== undefined ? (after - before) / online : undefined;
          const notes = [];
          if (crowd.joined < clients)
            notes.push(`only ${crowd.joined} of ${clients} joined within ${JOIN_TIME_LIMIT_MS / 1000} s`);
          if (before === undefined) notes.push('server RSS unknown: the bench did not start this server');
          return {
            scenario: this.name,
            target: target.name,
            metrics: [
              { key: 'joined', label: 'joined', unit: '', value: crowd.joined, better: 'higher' },
              {
                key: 'joinAllS',
                label: 'all joined in',
                unit: 's',
                value: round(crowd.joinMs / 1000, 2),
                better: 'lower',
              },
              {
                key: 'rssPerConnKiB',
                label: 'server RSS per connection',
                unit: 'KiB',
                value: round(perConnection && perConnection / 1024, 2),
                better: 'lower',
              },
              {
                key: 'rssBeforeMiB',
                label: 'server RSS before',
                unit: 'MiB',
                value: round(before && before / 2 ** 20),
              },
              { key: 'rssAfterMiB', label: 'server RSS after', unit: 'MiB', value: round(after && after / 2 ** 20) },
            ],
            notes,
          };
        } finally {
          leave(crowd.clients);
        }
      });
    },
  };
}
