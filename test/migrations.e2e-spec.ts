import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/entities.js';
import { runMigrations } from '../src/database/migrate.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const MIGRATIONS_DIR = path.resolve('migrations');

type MigrationClass = new () => { name?: string };

describe('migrations', () => {
  it('lists every migration file in MIGRATIONS, oldest first, each class named after its file timestamp', async () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((file) => file.endsWith('.ts') && file !== 'index.ts').sort();
    const found: MigrationClass[] = [];
    for (const file of files) {
      expect(file).toMatch(/^\d{13}-[A-Za-z0-9_-]+\.ts$/);
      const exported = Object.values(await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as MigrationClass[];
      expect(exported).toHaveLength(1);
      const [migration] = exported;
      expect(migration.name).toMatch(new RegExp(`^[A-Za-z0-9_]+${file.slice(0, 13)}$`));
      // TypeORM records `name`, when set, in schema_migrations: it must be the class name too.
      expect(new migration().name ?? migration.name).toBe(migration.name);
      found.push(migration);
    }
    expect(MIGRATIONS).toEqual(found);
  });

  describe('on a database made from the migrated template', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(async () => {
      await database.drop();
    });

    it('has nothing pending', async () => {
      await expect(runMigrations(database.ownerUrl)).resolves.toEqual([]);
      const dataSource = new DataSource(dataSourceOptions(database.ownerUrl, { poolSize: 1, entities: ENTITIES }));
      await dataSource.initialize();
      try {
        await expect(dataSource.showMigrations()).resolves.toBe(false);
      } finally {
        await dataSource.destroy();
      }
    });

    it('matches the entities: a generated migration would be empty', async () => {
      const dataSource = new DataSource(dataSourceOptions(database.ownerUrl, { poolSize: 1, entities: ENTITIES }));
      await dataSource.initialize();
      try {
        const pending = await dataSource.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((query) => query.query)).toEqual([]);
      } finally {
        await dataSource.destroy();
      }
    });
  });
});
