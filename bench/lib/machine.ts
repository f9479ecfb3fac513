import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export type Machine = {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  java: string;
  /** 1-minute load average when the run started and when it ended */
  loadAverage: { start: number; end?: number };
};

/** What the figures were measured on: the README names the machine with them. */
export function describeMachine(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: the os module's model stands
  }
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const java = /version "([^"]+)"/.exec(`${probe.stderr ?? ''}${probe.stdout ?? ''}`)?.[1] ?? 'unknown';
  return {
    cpus: cpus().length,
    cpuModel,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    java,
    loadAverage: { start: round1(loadavg()[0] ?? 0) },
  };
}

export const currentLoad = (): number => round1(loadavg()[0] ?? 0);

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** CPU seconds a process has used (user + system) from /proc; 0 where there is no /proc. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name and state
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** This process's CPU seconds (user + system). */
export const ownCpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** VmRSS and VmHWM (peak) of a process, in MB; undefined when it is gone or there is no /proc. */
export function memoryOf(pid: number | undefined): { rss: number; peak: number } | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
