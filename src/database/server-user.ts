import { readFileSync } from 'node:fs';

/** The OS account the PostgreSQL server runs as; `null` means "the current one". */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. When this process is root, the server runs as the
 * `postgres` account if the machine has one, else as `nobody`.
 */
export function chooseServerUser(): ServerUser | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const accounts = readPasswd();
  const chosen = accounts.get('postgres') ?? accounts.get('nobody');
  if (!chosen) {
    throw new Error('Running as root and no "postgres" or "nobody" account exists; run as a normal user or set DATABASE_URL.');
  }
  return chosen;
}

function readPasswd(): Map<string, ServerUser> {
  const accounts = new Map<string, ServerUser>();
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid && gid) accounts.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  return accounts;
}
