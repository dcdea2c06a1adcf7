import type { Metric, ScenarioResult } from './scenario.js';

/** Ours over theirs, for figures where both are numbers. */
export function ratio(ours: Metric | undefined, theirs: Metric | undefined): number | undefined {
  if (typeof ours?.value !== 'number' || typeof theirs?.value !== 'number' || theirs.value === 0) return undefined;
  return ours.value / theirs.value;
}

const show = (metric: Metric | undefined): string => {
  if (metric?.value === undefined) return '-';
  return typeof metric.value === 'number'
    ? `${metric.value.toLocaleString('en-US')}${metric.unit ? ` ${metric.unit}` : ''}`
    : metric.value;
};

/**
 * A table with one row per figure and one column per target; with a baseline, a last column of
 * ours/baseline ratios, marked ✓ where ours is the better (or equal) one.
 */
export function formatTable(results: ScenarioResult[], targets: string[], baseline?: string): string {
  const header = ['scenario', 'figure', ...targets, ...(baseline ? [`${targets[0]}/${baseline}`] : [])];
  const rows: string[][] = [];
  for (const scenario of unique(results.map((result) => result.scenario))) {
    const byTarget = new Map(
      results.filter((result) => result.scenario === scenario).map((result) => [result.target, result]),
    );
    const keys = unique([...byTarget.values()].flatMap((result) => result.metrics.map((metric) => metric.key)));
    keys.forEach((key, index) => {
      const metrics = targets.map((target) => byTarget.get(target)?.metrics.find((metric) => metric.key === key));
      const label = metrics.find((metric) => metric)?.label ?? key;
      const row = [index === 0 ? scenario : '', label, ...metrics.map(show)];
      if (baseline) row.push(formatRatio(metrics[0], metrics[targets.indexOf(baseline)]));
      rows.push(row);
    });
  }
  const widths = header.map((cell, column) => Math.max(width(cell), ...rows.map((row) => width(row[column]!))));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column]!, column > 1))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function formatRatio(ours: Metric | undefined, theirs: Metric | undefined): string {
  const value = ratio(ours, theirs);
  if (value === undefined || !ours?.better) return '';
  const good = ours.better === 'higher' ? value >= 1 : value <= 1;
  return `${value.toFixed(2)}x ${good ? '✓' : '✗'}`;
}

/** One JSON object per scenario: every target's figures by key, and the ratios when there is a baseline. */
export function jsonLine(scenario: string, results: ScenarioResult[], targets: string[], baseline?: string): string {
  const entry: Record<string, unknown> = { scenario };
  for (const target of targets) {
    const result = results.find((candidate) => candidate.scenario === scenario && candidate.target === target);
    if (!result) continue;
    entry[target] = Object.fromEntries(result.metrics.map((metric) => [metric.key, metric.value ?? null]));
    if (result.notes.length > 0) entry[`${target}Notes`] = result.notes;
  }
  if (baseline) {
    const ours = results.find((result) => result.scenario === scenario && result.target === targets[0]);
    const theirs = results.find((result) => result.scenario === scenario && result.target === baseline);
    if (ours && theirs) {
      entry.ratio = Object.fromEntries(
        ours.metrics.flatMap((metric) => {
          const value = ratio(
            metric,
            theirs.metrics.find((other) => other.key === metric.key),
          );
          return value === undefined ? [] : [[metric.key, Number(value.toFixed(3))]];
        }),
      );
    }
  }
  return JSON.stringify(entry);
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

// East Asian wide characters take two columns; the table holds few, but the check marks are one.
const width = (text: string): number => [...text].length;

const pad = (text: string, to: number, right: boolean): string => {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return right ? fill + text : text + fill;
};
