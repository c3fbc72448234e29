import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { routeTable } from './support/route-table.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('who may call what', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('every route declares its access', () => {
    expect(routeTable(t.app).filter((route) => route.access === 'UNDECLARED')).toEqual([]);
  });

  it('matches the reviewed table (a permission change must update this snapshot)', () => {
    const table = routeTable(t.app)
      .map((route) => `${route.method.padEnd(6)} ${route.path.padEnd(52)} ${route.access}`)
      .join('\n');
    expect(`\n${table}\n`).toMatchSnapshot();
  });

  it('lists exactly the routes the server serves', () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    const missing = routeTable(t.app).filter((route) => !fastify.hasRoute({ method: route.method as 'GET', url: route.path }));
    expect(missing).toEqual([]);
    expect(fastify.hasRoute({ method: 'DELETE', url: '/api/v1/users/:id' })).toBe(false);
  });
});
