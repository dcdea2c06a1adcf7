// Ink's output stage as patched (patches/ink+6.8.0.patch: caches shared by every frame, rows joined from lines)
// must draw exactly what the published one draws, for any writes, clips and transforms.
import chalk from 'chalk';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import Original from '../fixtures/ink-output/original.js';
import originalBorder, { type BorderedNode } from '../fixtures/ink-output/render-border.original.js';
// Ink exports only its entry point; the patched file is reached by its path, as Ink's renderer reaches it.
import Patched from '../../node_modules/ink/build/output.js';

chalk.level = 3;
const pieces = [
  'hello',
  ' ',
  'a b  c',
  '中文',
  '👍',
  'é',
  'x\u0301',
  '\t',
  chalk.red('red'),
  chalk.bold.cyan('bold 中'),
  chalk.inverse(' inv '),
  chalk.dim('dim👍'),
  chalk.underline.redBright('u'),
  '\x1b]8;;https://example.com\x07link\x1b]8;;\x07',
];
const text = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.constant('\n')), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''));
const transformers = fc.constantFrom(
  [] as Array<(line: string, index: number) => string>,
  [(line: string) => chalk.bold(line)],
  [(line: string, index: number) => `${index}${line}`, (line: string) => chalk.green(line)],
);
const coordinate = (min: number, max: number) => fc.option(fc.integer({ min, max }), { nil: undefined });
const operation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('write' as const),
      x: fc.integer({ min: -3, max: 30 }),
      y: fc.integer({ min: -2, max: 12 }),
      text,
      transformers,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('clip' as const),
      x1: coordinate(-2, 20),
      x2: coordinate(0, 30),
      y1: coordinate(-2, 8),
      y2: coordinate(0, 12),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'unclip' as const }) },
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

function draw(OutputClass: typeof Original, width: number, height: number, operations: Operation[]) {
  const output = new OutputClass({ width, height });
  for (const operation of operations) {
    if (operation.type === 'write')
      output.write(operation.x, operation.y, operation.text, { transformers: operation.transformers });
    else if (operation.type === 'clip') output.clip(operation);
    else output.unclip();
  }
  return output.get();
}

describe('Ink output, as patched', () => {
  it('draws every frame exactly as the published output stage does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 12 }),
        fc.array(operation, { maxLength: 12 }),
        (width, height, operations) => {
          // Twice: the second frame is drawn from the shared caches.
          const expected = draw(Original, width, height, operations);
          expect(draw(Patched as unknown as typeof Original, width, height, operations)).toEqual(expected);
          expect(draw(Patched as unknown as typeof Original, width, height, operations)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("joins a chat screen's rows from their lines, none built cell by cell", () => {
    const PatchedOutput = Patched as unknown as typeof Original;
    const drawCells = vi.spyOn(PatchedOutput.prototype as unknown as { drawCells: () => string }, 'drawCells');
    // A message pane, the sidebar's border and a user, as the app lays them out.
    const operations: Operation[] = [
      {
        type: 'write',
        x: 0,
        y: 0,
        text: `${chalk.dim('12:01 ')}${chalk.cyan('bob')}: hello 中文 👍`,
        transformers: [],
      },
      { type: 'write', x: 30, y: 0, text: chalk.dim('│\n│'), transformers: [] },
      { type: 'write', x: 32, y: 0, text: `  ${chalk.green('alice')}\n  ${chalk.bold('me')}`, transformers: [] },
    ];
    const expected = draw(Original, 40, 2, operations);
    expect(draw(PatchedOutput, 40, 2, operations)).toEqual(expected);
    expect(drawCells).not.toHaveBeenCalled();
    drawCells.mockRestore();
  });
});

describe('Ink caches, as patched', () => {
  it('forget everything once full, so that a long run of distinct lines cannot grow them', async () => {
    // A file the patch adds, with no types of its own.
    const added = '../../node_modules/ink/build/bounded-cache.js';
    const { default: BoundedCache } = (await import(added)) as {
      default: new (limit: number) => Map<string, number>;
    };
    const cache = new BoundedCache(3);
    for (let index = 0; index < 10; index++) cache.set(`line ${index}`, index);
    expect(cache.size).toBeLessThanOrEqual(3);
    cache.set('line 9', 9);
    expect(cache.get('line 9')).toBe(9);
  });
});

describe("Ink's borders, as patched", () => {
  it('draws every border exactly as the published stage does, the second time from its cache', async () => {
    // Files Ink exports no types for: reached by their paths, as Ink's renderer reaches them.
    const patched = '../../node_modules/ink/build/render-border.js';
    const { default: patchedBorder } = (await import(patched)) as { default: typeof originalBorder };
    const colour = fc.constantFrom(undefined, 'red', 'greenBright', '#ff8800', 'ansi256(33)', 'rgb(1, 2, 3)');
    const dim = fc.constantFrom(undefined, true, false);
    const style = fc.record({
      borderStyle: fc.constantFrom('single', 'double', 'round', 'bold', 'classic', {
        topLeft: '┏',
        top: '━',
        topRight: '┓',
        left: '┃',
        right: '┃',
        bottomLeft: '┗',
        bottom: '━',
        bottomRight: '┛',
      }),
      borderColor: colour,
      borderTopColor: colour,
      borderLeftColor: colour,
      borderDimColor: dim,
      borderRightDimColor: dim,
      borderBottomDimColor: dim,
      borderTop: fc.boolean(),
      borderBottom: fc.boolean(),
      borderLeft: fc.boolean(),
      borderRight: fc.boolean(),
    });
    const drawn = (render: typeof originalBorder, node: BorderedNode) => {
      const writes: unknown[] = [];
      render(3, 1, node, { write: (...args) => writes.push(args) });
      return writes;
    };
    const level = chalk.level;
    try {
      fc.assert(
        fc.property(
          style,
          fc.integer({ min: 2, max: 30 }),
          fc.integer({ min: 2, max: 12 }),
          fc.constantFrom(1, 3),
          (style, width, height, colours) => {
            // The same border at another colour depth is another border.
            chalk.level = colours as typeof chalk.level;
            const node = { style, yogaNode: { getComputedWidth: () => width, getComputedHeight: () => height } };
            const expected = drawn(originalBorder, node);
            expect(drawn(patchedBorder, node)).toEqual(expected);
            expect(drawn(patchedBorder, node)).toEqual(expected);
          },
        ),
        { numRuns: 300 },
      );
    } finally {
      chalk.level = level;
    }
  });
});
