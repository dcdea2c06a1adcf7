import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WINDOW_FILE } from './broadcast.js';

/*
 * Usage: node --import tsx bench/profile-summary.ts DIR [top]
 * Prints the functions with the most self time in each .cpuprofile in DIR (as written by
 * `npm run bench -- --cpu-prof-dir DIR`), so a profile can be read without a browser. When DIR holds a
 * window.json ({fromUs, toUs} on the monotonic clock, written by scenarios that know their measured stretch),
 * only the samples within it count. A sample's time is wall-clock time: on a busy machine it includes time
 * the process waited for a core (often inside a system call), so compare CPU from /proc, not "busy" here.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [dir, top = '25'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node --import tsx bench/profile-summary.ts DIR [top]');
  process.exit(2);
}

const windowFile = join(dir, WINDOW_FILE);
const window = existsSync(windowFile)
  ? (JSON.parse(readFileSync(windowFile, 'utf8')) as { fromUs: number; toUs: number })
  : { fromUs: -Infinity, toUs: Infinity };
if (Number.isFinite(window.fromUs))
  console.log(`measured stretch only: ${((window.toUs - window.fromUs) / 1e6).toFixed(1)} s`);

for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at < window.fromUs || at > window.toUs) return;
    const frame = byNode.get(id)!.callFrame;
    const where = frame.url
      ? `${frame.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${frame.lineNumber + 1}`
      : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
    totalUs += delta;
  });
  const busyUs = totalUs - (selfUs.get('(idle)') ?? 0);
  console.log(`\n${file}: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busyUs / 1e6).toFixed(1)} s busy`);
  [...selfUs.entries()]
    .filter(([key]) => key !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(top))
    .forEach(([key, us]) =>
      console.log(`${((100 * us) / busyUs).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`),
    );
}
