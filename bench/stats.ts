/** Latencies in milliseconds, stored flat so a million samples cost eight megabytes and no objects. */
export class LatencyRecorder {
  private readonly samples: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    if (this.count < this.samples.length) this.samples[this.count++] = ms;
  }

  summary(): LatencySummary {
    const sorted = this.samples.subarray(0, this.count).sort();
    return {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : undefined,
    };
  }
}

export interface LatencySummary {
  p50: number | undefined;
  p99: number | undefined;
  max: number | undefined;
}

/** Nearest-rank percentile of ascending values; undefined when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
