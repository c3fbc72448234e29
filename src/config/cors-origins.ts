/**
 * CORS_ORIGINS: the exact origins (scheme://host[:port]) a browser front end may call the API
 * from, comma-separated. No wildcard and no paths: an origin either is listed or gets no CORS
 * headers at all. Returns the origins as browsers send them (lower case, default port dropped),
 * or the problems found, one per bad entry.
 */
export function parseCorsOrigins(value: string | undefined): { origins: string[]; problems: string[] } {
  const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const origin = originOf(entry);
    if (origin) origins.push(origin);
    else problems.push(`CORS_ORIGINS: ${JSON.stringify(entry)} is not an origin; list exact origins such as https://desk.clinic.example or http://localhost:5173 (no "*", no path)`);
  }
  return { origins: [...new Set(origins)], problems };
}

function originOf(entry: string): string | null {
  if (entry.includes('*')) return null;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return null;
  }
  const bare = url.protocol === 'http:' || url.protocol === 'https:';
  const nothingElse = !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash && !/\/./.test(entry.replace(/^[a-z]+:\/\//i, ''));
  return bare && nothingElse ? url.origin : null;
}
