// Ink's output stage as patched: what a row of a chat screen costs joined from its lines, against the
// same row built cell by cell (the published stage's way, kept in the patched file as its fallback).
import chalk from 'chalk';
import Output from '../../node_modules/ink/build/output.js';
import { round, type Scenario } from '../scenario.js';

/** A row's writes as the patched Output keeps them: a column and a line for each. */
type Writes = Array<number | string>;

/** What the patch adds to Output; Ink's own types do not know it. */
interface PatchedOutput {
  joinPieces(writes: Writes): string | undefined;
  drawCells(writes: Writes): string;
}

const FRAMES = 2000;
const ROWS = 26;
const DISTINCT_LINES = 2000;

/**
 * A message pane's row, the sidebar's border and a user, as the app writes them; each frame shows the pane
 * at another moment, as SSH screens drawing at phases of their own do, so rows rarely repeat whole while
 * their lines do.
 */
function chatRows(): Writes[] {
  const level = chalk.level;
  chalk.level = 1;
  const pane = Array.from(
    { length: DISTINCT_LINES },
    (_, index) =>
      `${chalk.dim('12:01 ')}${chalk.cyan(`sender${index % 10}`)}: hello there, this is line ${index} of the chatter`,
  );
  const users = Array.from({ length: ROWS }, (_, index) => `  ${chalk.green(`user${index}`)}`);
  const border = chalk.dim('│');
  chalk.level = level;
  const rows: Writes[] = [];
  for (let frame = 0; frame < FRAMES; frame++) {
    for (let row = 0; row < ROWS; row++)
      rows.push([0, pane[(frame + row * 7) % DISTINCT_LINES]!, 78, border, 80, users[row]!]);
  }
  return rows;
}

function microsPerRow(rows: Writes[], draw: (writes: Writes) => unknown): number {
  draw(rows[0]!); // the lines' first drawing is shared by every later row; time the rows after it
  const started = performance.now();
  for (const writes of rows) draw(writes);
  return ((performance.now() - started) * 1000) / rows.length;
}

export function inkRows(): Scenario {
  return {
    name: 'ink-rows',
    title: `Ink's output stage: ${FRAMES} frames of ${ROWS} chat rows, joined from lines vs built cell by cell`,
    serverIndependent: true,
    async run(target) {
      const output = new Output({ width: 100, height: 1 }) as unknown as PatchedOutput;
      const rows = chatRows();
      // Both ways must draw the same row, or the figures below would time something else.
      const [joinedRow, cellsRow] = [output.joinPieces(rows[0]!), output.drawCells(rows[0]!)];
      if (joinedRow !== cellsRow || !joinedRow.includes('user0'))
        throw new Error(`the two ways drew different rows: ${JSON.stringify([joinedRow, cellsRow])}`);
      // Twice each, in turns: the first pass of either warms the code and the caches of lines.
      microsPerRow(rows, (writes) => output.joinPieces(writes));
      microsPerRow(rows.slice(0, ROWS * 100), (writes) => output.drawCells(writes));
      const joined = microsPerRow(rows, (writes) => output.joinPieces(writes));
      const cells = microsPerRow(rows.slice(0, ROWS * 100), (writes) => output.drawCells(writes));
      return {
        scenario: this.name,
        target: target.name,
        metrics: [
          {
            key: 'joinedMicros',
            label: 'a row joined from its lines',
            unit: 'µs',
            value: round(joined, 2),
            better: 'lower',
          },
          {
            key: 'cellsMicros',
            label: 'a row built cell by cell',
            unit: 'µs',
            value: round(cells, 1),
            better: 'lower',
          },
          { key: 'ratio', label: 'cell by cell / joined', unit: '×', value: round(cells / joined, 0) },
        ],
        notes: [],
      };
    },
  };
}
