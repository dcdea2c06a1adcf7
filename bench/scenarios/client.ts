import type { Scenario } from '../scenario.js';
export function chatTuiClient(): Scenario {
  return { name: 'client', title: 'chat-tui', needsOwnServer: true, async run(target) { return { scenario: 'client', target: target.name, metrics: [], notes: ['todo'] }; } };
}
