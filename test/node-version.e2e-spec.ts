import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const read = (file: string) => readFileSync(file, 'utf8');

/**
 * One supported Node.js release everywhere: the tests run on the pinned runtime (devDependency
 * "node", put first on PATH by npm and npx), and .nvmrc, engines, the Docker image and the
 * README name that same release.
 */
describe('Node.js version', () => {
  const pinned = read('.nvmrc').trim();
  const packageJson = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };

  it('runs the tests on the pinned release, not on the machine\'s own Node', () => {
    expect(process.versions.node).toBe(pinned);
    expect(packageJson.devDependencies.node).toBe(pinned);
    expect(packageJson.devDependencies['@types/node']).toMatch(new RegExp(`^${pinned.split('.')[0]}\\.`));
  });

  it('is the release of engines, the Docker image and the README', () => {
    expect(packageJson.engines.node).toBe(`^${pinned}`);
    expect(read('docker/Dockerfile')).toContain(`ARG NODE_IMAGE=node:${pinned}-bookworm-slim`);
    expect(read('README.md').split('\n').slice(0, 20).join('\n')).toContain(`Node.js ${pinned}`);
  });
});
