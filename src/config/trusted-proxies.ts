import { isIP } from 'node:net';

/**
 * TRUST_PROXY: `false`, a hop count, or a list of proxy addresses/CIDRs. "Trust every hop" is
 * never allowed, in any spelling (`true`, `0.0.0.0/0`, `::/0`, or a block so wide it is most of
 * the internet): any client could then forge its address for throttling and the audit trail.
 */
export type TrustedProxies = false | number | string[];

// Narrowest "too wide" blocks: a /8 is a whole private network, anything wider is public address space.
const WIDEST_PREFIX = { 4: 8, 6: 16 } as const;

/** The setting, or the reason it is refused. */
export function parseTrustedProxies(value: string | undefined): { value: TrustedProxies } | { problem: string } {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return { value: false };
  if (/^[1-9]$/.test(text)) return { value: Number(text) };
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const problem = proxyProblem(entry);
    if (problem) return { problem: `TRUST_PROXY: "${entry}" ${problem}; give false, a hop count (1-9) or proxy addresses/CIDRs` };
  }
  return { value: entries };
}

function proxyProblem(entry: string): string | null {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family !== 4 && family !== 6) return 'is not an IP address';
  if (rest.length > 0) return 'is not an address or CIDR';
  if (prefix === undefined) return isUnspecified(address) ? 'would trust every address' : null;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits <= (family === 4 ? 32 : 128))) return 'has an invalid prefix length';
  if (bits < WIDEST_PREFIX[family]) return `would trust every address in a /${bits} (at most /${WIDEST_PREFIX[family]} is allowed)`;
  return null;
}

function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || /^[0:]+$/.test(address);
}
