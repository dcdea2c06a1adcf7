// The layering rules in eslint.config.js, tried on code that breaks them: a rule that never fires would
// let a layer reach where it must not without anyone noticing.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-syntax')
    .map((message) => message.message);
}

describe('the layering', () => {
  it.each([
    ['src/protocol/example.ts', "import { ChatServer } from '../server/chat-server.js';"],
    ['src/protocol/example.ts', "import { App } from '../tui/app.js';"],
    ['src/server/example.ts', "import { App } from '../tui/app.js';"],
    ['src/server/room/example.ts', "import { startDoor } from '../../ssh/start.js';"],
    ['src/tui/example.ts', "import { ChatServer } from '../server/chat-server.js';"],
    ['src/tui/example.ts', "export const load = () => import('../server/chat-server.js');"],
    ['src/server/example.ts', "export const load = () => import('../ssh/start.js');"],
    ['src/server/embedded.ts', "import { SshDoor } from '../ssh/door.js';"],
    ['src/server/embedded.ts', "export const load = () => import('../ssh/door.js');"],
    ['src/server/embedded.ts', "import { App } from '../tui/app.js';"],
    ['src/tui/app.tsx', "import { sshFlags } from '../ssh/options.js';"],
    ['src/tui/cli.tsx', "import { openSshDoor } from '../ssh/start.js';"],
    ['src/tui/cli.tsx', "export const load = () => import('../ssh/start.js');"],
    ['src/tui/cli.tsx', "import { ChatServer } from '../server/chat-server.js';"],
  ])('%s may not: %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['src/server/example.ts', "import { replies } from '../protocol/index.js';"],
    ['src/tui/example.ts', "import { replies } from '../protocol/index.js';"],
    ['src/tui/example.ts', "export const load = () => import('../server/embedded.js');"],
    ['src/server/embedded.ts', "export const load = () => import('../ssh/start.js');"],
    ['src/server/embedded.ts', "import { defaultHostKeyPath } from '../ssh/options.js';"],
    ['src/tui/cli.tsx', "import { sshFlags } from '../ssh/options.js';"],
    ['src/tui/cli.tsx', "export const load = () => import('../server/embedded.js');"],
  ])('%s may: %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).toEqual([]);
  });
});
