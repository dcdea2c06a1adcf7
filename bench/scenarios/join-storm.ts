import { joinCrowd, leave } from '../crowd.js';
import { percentile } from '../stats.js';
import { round, withServer, type Scenario } from '../scenario.js';

const TIME_LIMIT_MS = 30_000;

/** Everyone connects at once (a restart, a reconnect wave): how long until each has seen itself online. */
export function joinStorm(clients: number): Scenario {
  return {
    name: `join-storm-${clients}`,
    title: `join storm, ${clients} connections opened at once`,
    async run(target) {
      const crowd = await withServer(target, async (server) => {
        const joined = await joinCrowd(server, clients, clients, TIME_LIMIT_MS);
        leave(joined.clients);
        return joined;
      });
      return {
        scenario: this.name,
        target: target.name,
        metrics: [
          { key: 'joined', label: 'joined', unit: '', value: crowd.joined, better: 'higher' },
          { key: 'allJoinedMs', label: 'all joined in', unit: 'ms', value: round(crowd.joinMs, 0), better: 'lower' },
          {
            key: 'joinP50Ms',
            label: 'one join p50',
            unit: 'ms',
            value: round(percentile(crowd.eachJoinMs, 50), 1),
            better: 'lower',
          },
          {
            key: 'joinP99Ms',
            label: 'one join p99',
            unit: 'ms',
            value: round(percentile(crowd.eachJoinMs, 99), 1),
            better: 'lower',
          },
        ],
        notes:
          crowd.joined < clients ? [`only ${crowd.joined} of ${clients} joined within ${TIME_LIMIT_MS / 1000} s`] : [],
      };
    },
  };
}
