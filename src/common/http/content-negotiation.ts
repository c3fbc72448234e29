/**
 * The best of the media types a route can produce for a request's Accept header (RFC 9110
 * §12.5.1): the highest quality, then the most specific match (application/pdf before
 * application/*, before *\/*), then the route's order. Without Accept, or when nothing offered
 * is acceptable, the first (JSON): an answer a client did not ask for beats a 406 here.
 */
export function negotiate<T extends string>(accept: string | undefined, offered: readonly [T, ...T[]]): T {
  const ranges = parseAccept(accept ?? '');
  let best: { type: T; q: number; specificity: number } | null = null;
  for (const type of offered) {
    const match = ranges
      .filter((range) => matches(range.type, type))
      .sort((a, b) => specificity(b.type) - specificity(a.type))[0];
    if (!match || match.q <= 0) continue;
    const candidate = { type, q: match.q, specificity: specificity(match.type) };
    if (!best || candidate.q > best.q || (candidate.q === best.q && candidate.specificity > best.specificity)) best = candidate;
  }
  return best?.type ?? offered[0];
}

function parseAccept(accept: string): { type: string; q: number }[] {
  return accept
    .split(',')
    .map((part) => {
      const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const q = parameters.find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { type, q: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((range) => range.type.includes('/'));
}

function matches(range: string, type: string): boolean {
  if (range === '*/*') return true;
  if (range.endsWith('/*')) return type.startsWith(range.slice(0, -1));
  return range === type;
}

function specificity(range: string): number {
  if (range === '*/*') return 0;
  return range.endsWith('/*') ? 1 : 2;
}
