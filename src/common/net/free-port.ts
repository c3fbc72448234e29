import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now (another process could still take it): `preferred` when it
 * is free, else one the OS picks.
 */
export async function freePort(preferred?: number): Promise<number> {
  if (preferred !== undefined && (await listensOn(preferred).catch(() => null)) !== null) return preferred;
  return listensOn(0);
}

function listensOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
