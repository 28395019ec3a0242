// Writes the OpenAPI document to openapi.json (sorted keys), or with --check fails when the
// committed file differs from what the app serves. Boots the app on a throwaway in-memory database.
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { configureApp, createFastifyAdapter } from '../configure-app';
import { buildOpenApiDocument, stableStringify } from '../openapi';

const OUTPUT = path.resolve(__dirname, '../../openapi.json');

async function main(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    AUTOMAGIK_OMNI_SQLITE_DATABASE_PATH: ':memory:',
    AUTOMAGIK_OMNI_API_KEY: 'openapi-export-only-key',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createFastifyAdapter(), {
    logger: false,
  });
  configureApp(app, config);
  await app.init();
  const document = stableStringify(buildOpenApiDocument(app, config));
  await app.close();
  if (!process.argv.includes('--check')) {
    writeFileSync(OUTPUT, document);
    console.log(`Wrote ${OUTPUT}`);
    return;
  }
  const committed = readFileSync(OUTPUT, 'utf8');
  if (committed !== document) {
    console.error('openapi.json is out of date: run `npm run build && npm run openapi:export` and commit it.');
    process.exit(1);
  }
  console.log('openapi.json matches the API.');
}

void main();
