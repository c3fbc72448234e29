import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU time spent by processes, from /proc (Linux). Requests per second move with whatever else
 * the machine is doing; CPU time per request of the server under test moves much less, so the
 * harness records both.
 */
let ticksPerSecond: number | null = null;

function ticks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** [parent pid, user+system CPU seconds] of a process, or null if it cannot be read. */
function stat(pid: number): [number, number] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: split after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[1]), (Number(fields[11]) + Number(fields[12])) / ticks()];
  } catch {
    return null;
  }
}

/** CPU seconds used so far by one process (not its children), or null off Linux. */
export function processCpuSeconds(pid: number | undefined): number | null {
  return pid === undefined ? null : (stat(pid)?.[1] ?? null);
}

/**
 * CPU seconds used so far by each process of a PostgreSQL cluster: the postmaster and every
 * process it forked (backends, WAL writer, checkpointer…). null when the cluster is not ours.
 */
export function clusterCpu(postmasterPid: number | null): Map<number, number> | null {
  if (postmasterPid === null) return null;
  const own = processCpuSeconds(postmasterPid);
  if (own === null) return null;
  const cpu = new Map<number, number>([[postmasterPid, own]]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s && s[0] === postmasterPid) cpu.set(Number(entry), s[1]);
  }
  return cpu;
}

/** CPU seconds the cluster used between two readings (a backend that exited meanwhile drops out). */
export function clusterCpuDelta(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** The postmaster of an embedded cluster under DATA_DIR, from its pid file. */
export function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** CPU seconds the whole machine has spent busy (all processes, all cores), or null off Linux. */
export function machineBusySeconds(): number | null {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return [user, nice, system, irq, softirq, steal].reduce<number>((sum, n) => sum + (n ?? 0), 0) / ticks();
  } catch {
    return null;
  }
}
