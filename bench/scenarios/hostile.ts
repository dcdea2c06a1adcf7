import { joinAll, leave, settle } from '../crowd.js';
import { measureHonestMember, peakResidentBytes, type HonestReport } from '../honest-member.js';
import { LoadClient } from '../load-client.js';
import { residentBytes } from '../process-stats.js';
import { round, withServer, type Metric, type Scenario } from '../scenario.js';
import type { RunningServer } from '../targets.js';

const JOIN_LIMIT_MS = 60_000;
const MEASURE_MS = 5000;
const CONTROL_MS = 2000;

interface AttackPlan {
  name: string;
  title: string;
  members: number;
  attack(attackers: LoadClient[]): void;
  attackers: number;
}

/**
 * `members` join; one more member chats at up to 40 lines a second, first in peace (the control, same run,
 * same crowd), then while `attackers` of them attack once. What the attack costs: the honest member's
 * latency against the control, and the server's memory above what the crowd already held.
 */
function attackScenario(plan: AttackPlan): Scenario {
  return {
    name: plan.name,
    title: plan.title,
    async run(target) {
      const outcome = await withServer(target, (server) => underAttack(server, plan));
      const { honest, control, baselineBytes, peakBytes } = outcome;
      const p99Ratio =
        honest.latencyMs.p99 !== undefined && control.latencyMs.p99
          ? honest.latencyMs.p99 / control.latencyMs.p99
          : undefined;
      const growthMiB =
        peakBytes !== undefined && baselineBytes !== undefined ? (peakBytes - baselineBytes) / 2 ** 20 : undefined;
      const metrics: Metric[] = [
        {
          key: 'p50Ms',
          label: 'honest member p50',
          unit: 'ms',
          value: round(honest.latencyMs.p50, 1),
          better: 'lower',
        },
        {
          key: 'p99Ms',
          label: 'honest member p99',
          unit: 'ms',
          value: round(honest.latencyMs.p99, 1),
          better: 'lower',
        },
        {
          key: 'maxMs',
          label: 'honest member worst',
          unit: 'ms',
          value: round(honest.latencyMs.max, 1),
          better: 'lower',
        },
        {
          key: 'controlP99Ms',
          label: 'p99 before the attack',
          unit: 'ms',
          value: round(control.latencyMs.p99, 1),
          better: 'lower',
        },
        { key: 'p99VsControl', label: 'p99 attacked / before', unit: 'x', value: round(p99Ratio, 2) },
        {
          key: 'answeredPct',
          label: 'honest lines back within 5 s',
          unit: '%',
          value: round((100 * honest.answered) / Math.max(1, honest.sent), 1),
          better: 'higher',
        },
        {
          key: 'peakRssMiB',
          label: 'server peak RSS',
          unit: 'MiB',
          value: round(peakBytes !== undefined ? peakBytes / 2 ** 20 : undefined, 0),
          better: 'lower',
        },
        {
          key: 'rssGrowthMiB',
          label: 'RSS growth under attack',
          unit: 'MiB',
          value: round(growthMiB, 0),
          better: 'lower',
        },
        { key: 'survived', label: 'server survived', unit: '', value: outcome.survived ? 'yes' : 'no' },
      ];
      const notes =
        honest.answered < honest.sent ? [`${honest.sent - honest.answered} honest lines not back in 5 s`] : [];
      return { scenario: this.name, target: target.name, metrics, notes };
    },
  };
}

async function underAttack(server: RunningServer, plan: AttackPlan) {
  const crowd = await joinAll(server, plan.members, 200, JOIN_LIMIT_MS);
  const honestClient = await LoadClient.connect(server.host, server.port);
  await honestClient.joined();
  await settle(crowd.clients);
  const control = await measureHonestMember(honestClient, CONTROL_MS);
  const baselineBytes = server.pid !== undefined ? residentBytes(server.pid) : undefined;
  try {
    const { result: honest, peakBytes } = await peakResidentBytes(server, async (): Promise<HonestReport> => {
      plan.attack(crowd.clients.slice(0, plan.attackers));
      return measureHonestMember(honestClient, MEASURE_MS);
    });
    const survived = server.pid === undefined || residentBytes(server.pid) !== undefined;
    return { honest, control, baselineBytes, peakBytes, survived };
  } finally {
    leave([...crowd.clients, honestClient]);
  }
}

/** Each of `connections` members sends one 64 KiB segment of bare newlines. */
export function newlineBomb(connections: number): Scenario {
  const bomb = '\n'.repeat(64 * 1024);
  return attackScenario({
    name: 'newline-bomb',
    title: `newline bomb, ${connections} members × 64 KiB of bare newlines, one honest member chatting`,
    members: connections,
    attackers: connections,
    attack: (attackers) => attackers.forEach((attacker) => attacker.send(bomb)),
  });
}

/** `members` online; `askers` of them send `who` `times` times in one write. */
export function whoStorm(members: number, askers: number, times: number): Scenario {
  const burst = 'who\n'.repeat(times);
  return attackScenario({
    name: 'who-storm',
    title: `who storm, ${members} members, ${askers} of them asking who ${times} times at once, one honest member chatting`,
    members,
    attackers: askers,
    attack: (attackers) => attackers.forEach((attacker) => attacker.send(burst)),
  });
}
