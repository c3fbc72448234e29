/**
 * Reads a V8 .cpuprofile (from BENCH_CPU_PROF) and prints where the time went: self time by
 * package or source folder, self time by function, and inclusive time by function (each
 * function counted once per stack). After a build: `node dist/bench/profile-summary.js <file> [rows]`
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules package, app or bench folder, node: module, or the VM's own entries. */
function area(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native ${functionName || 'code'})`;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const app = /\/dist\/(src|bench)\/(.+)$/.exec(url);
  if (app) return `${app[1] === 'src' ? 'app' : 'bench'}:${app[2]!.split('/').slice(0, 2).join('/')}`;
  return url;
}

function label(frame: CallFrame): string {
  if (!frame.url) return area(frame.url, frame.functionName);
  return `${frame.functionName || '(anonymous)'} ${area(frame.url, frame.functionName)}:${frame.lineNumber + 1}`;
}

export function summarise(profile: Profile, rows: number): string {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = nodes.get(id)!.callFrame;
    const a = area(frame.url, frame.functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + micros);
    byFunction.set(label(frame), (byFunction.get(label(frame)) ?? 0) + micros);
  }
  const inclusive = new Map<string, number>();
  const onStack = new Set<string>();
  const walk = (id: number): number => {
    const node = nodes.get(id)!;
    const key = label(node.callFrame);
    const outermost = !onStack.has(key);
    if (outermost) onStack.add(key);
    let time = self.get(id) ?? 0;
    for (const child of node.children ?? []) time += walk(child);
    if (outermost) {
      onStack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + time);
    }
    return time;
  };
  walk(profile.nodes[0]!.id);
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([key, micros]) => `${((100 * micros) / total).toFixed(1).padStart(6)}%  ${key}`)
      .join('\n');
  return [
    `${(total / 1e6).toFixed(2)} s sampled; (idle) is time waiting, mostly for PostgreSQL`,
    `--- self time by area ---\n${top(byArea)}`,
    `--- self time by function ---\n${top(byFunction)}`,
    `--- inclusive time by function ---\n${top(inclusive)}`,
  ].join('\n');
}

const [file, rows] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node dist/bench/profile-summary.js <file.cpuprofile> [rows]\n');
  process.exit(2);
}
process.stdout.write(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(rows) || 30) + '\n');
