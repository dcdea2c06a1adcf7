import { cpus } from 'node:os';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { formatTable, jsonLine } from './report.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { chatTuiClient } from './scenarios/client.js';
import { cluster } from './scenarios/cluster.js';
import { fanOut } from './scenarios/fan-out.js';
import { newlineBomb, whoStorm } from './scenarios/hostile.js';
import { idleCapacity } from './scenarios/idle-capacity.js';
import { inkRows } from './scenarios/ink-rows.js';
import { joinStorm } from './scenarios/join-storm.js';
import { sshScreens } from './scenarios/ssh.js';
import { stalledReader } from './scenarios/stalled-reader.js';
import { articleServerTarget, chatServerTarget, externalTarget, type Target } from './targets.js';
import { currentOpenFileLimit, rerunWithMoreOpenFiles } from './ulimit.js';

const exitCode = rerunWithMoreOpenFiles();
if (exitCode !== undefined) process.exit(exitCode);

/** Every scenario; `cpuProfileDir` for those that start servers of their own. */
const allScenarios = (cpuProfileDir?: string): Scenario[] => [
  fanOut(100, 200),
  fanOut(1000, 50),
  stalledReader(100),
  idleCapacity(10_000),
  joinStorm(2000),
  newlineBomb(2000),
  whoStorm(3000, 100, 40),
  chatTuiClient(),
  inkRows(),
  sshScreens(200, 10, 200, 10, { cpuProfileDir }),
  // The same screens in a room at a tenth of the pace.
  sshScreens(200, 10, 20, 10, { cpuProfileDir, name: 'ssh-20' }),
  // Ten of the screens chatting, typing as fast as people type: about 8 lines a second in all.
  sshScreens(200, 10, 8, 10, { cpuProfileDir, name: 'ssh-chat', typing: 'screens' }),
  cluster(3, 1000, 20, { cpuProfileDir }),
];
const NAMES = allScenarios().map((scenario) => scenario.name);

const argv = yargs(hideBin(process.argv))
  .scriptName('npm run bench --')
  .usage('$0 [options]\n\nLoad scenarios against chat-server (started here) or any loopback server.')
  .options({
    target: { type: 'string', describe: 'measure the server at host:port (loopback only) instead of starting one' },
    'vs-article': {
      type: 'boolean',
      default: false,
      describe: "also run every scenario against the tutorial's Go server, and print ratios",
    },
    only: {
      type: 'string',
      describe: `comma-separated scenarios to run: ${NAMES.join(', ')}`,
    },
    'cpu-prof-dir': {
      type: 'string',
      describe: 'write CPU profiles of the chat-server children here (node --cpu-prof)',
    },
  })
  .strict()
  .help()
  .parseSync();

const SCENARIOS = allScenarios(argv['cpu-prof-dir']);
const wanted = argv.only?.split(',').map((name) => name.trim());
const scenarios = wanted ? SCENARIOS.filter((scenario) => wanted.includes(scenario.name)) : SCENARIOS;
if (wanted && scenarios.length !== wanted.length) {
  console.error(`unknown scenario in --only; choose from ${NAMES.join(', ')}`);
  process.exit(2);
}

function firstTarget(): Target {
  if (!argv.target) return chatServerTarget({ cpuProfileDir: argv['cpu-prof-dir'] });
  try {
    return externalTarget(argv.target);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    process.exit(2);
  }
}

const targets: Target[] = [firstTarget()];
if (argv['vs-article']) {
  const article = await articleServerTarget();
  if ('unavailable' in article) console.log(`article server unavailable: ${article.unavailable}; no ratios`);
  else targets.push(article);
}
const baseline = targets.length > 1 ? targets[1]!.name : undefined;

console.log(
  `machine: ${cpus().length} cores, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}, open files ${currentOpenFileLimit()}`,
);
for (const target of targets) console.log(`${target.name}: ${target.description}`);

const results: ScenarioResult[] = [];
const startedAt = performance.now();
for (const scenario of scenarios) {
  for (const target of scenario.serverIndependent ? targets.slice(0, 1) : targets) {
    if (scenario.needsOwnServer && argv.target) continue;
    const scenarioStart = performance.now();
    process.stdout.write(`${scenario.title} [${target.name}] ... `);
    try {
      const result = await scenario.run(target);
      results.push(result);
      console.log(
        `${((performance.now() - scenarioStart) / 1000).toFixed(1)} s${result.notes.length ? ` (${result.notes.join('; ')})` : ''}`,
      );
    } catch (error) {
      results.push({ scenario: scenario.name, target: target.name, metrics: [], notes: [(error as Error).message] });
      console.log(`failed: ${(error as Error).message}`);
    }
  }
}

const names = targets.map((target) => target.name);
console.log(`\n${formatTable(results, names, baseline)}\n`);
for (const scenario of scenarios) console.log(jsonLine(scenario.name, results, names, baseline));
console.log(`\nbench finished in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
