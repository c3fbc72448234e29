import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module.js';
import { API_PREFIX, createHttpAdapter } from '../app.setup.js';
import { buildApiDocument } from '../common/http/api-docs.js';
import { loadConfig } from '../config/app-config.js';
import { runCli } from './cli-support.js';

/**
 * `npm run api:document -- <file>`: writes the OpenAPI document the service serves at
 * /api/docs-json, without a database (Nest's preview mode builds the routes, not the providers),
 * for linting it or generating a client.
 */
runCli('api:document', async () => {
  const file = path.resolve(process.argv[2] ?? 'dist/openapi.json');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-openapi-'));
  try {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, JWT_SECRET: randomBytes(32).toString('hex') });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, 'postgres://unused@127.0.0.1:1/unused'), createHttpAdapter(config), {
      preview: true,
      logger: false,
    });
    app.setGlobalPrefix(API_PREFIX);
    writeFileSync(file, `${JSON.stringify(buildApiDocument(app), null, 2)}\n`);
    process.stdout.write(`OpenAPI document written to ${path.relative(process.cwd(), file)}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
