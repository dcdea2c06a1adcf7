import { readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks; 100 per second on every mainstream kernel configuration. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Resident memory of a process in bytes (VmRSS from /proc), or undefined when it cannot be read. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** User plus system CPU time a process has used so far, in milliseconds, or undefined when it cannot be read. */
export function cpuMilliseconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields from the last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU use of another process (by pid) or of this one, as a share of one core over a measured stretch. */
export class CpuMeter {
  private readonly startedAt = performance.now();
  private readonly startCpuMs: number | undefined;

  constructor(private readonly pid?: number) {
    this.startCpuMs = this.readCpuMs();
  }

  /** Percent of one core used since construction (100 = one core busy throughout). */
  percentOfCore(): number | undefined {
    const now = this.readCpuMs();
    const wallMs = performance.now() - this.startedAt;
    if (now === undefined || this.startCpuMs === undefined || wallMs <= 0) return undefined;
    return ((now - this.startCpuMs) / wallMs) * 100;
  }

  private readCpuMs(): number | undefined {
    if (this.pid === undefined) {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    }
    return cpuMilliseconds(this.pid);
  }
}
