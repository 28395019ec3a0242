import { DynamicModule, Module } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';
import { AccessLog, ROOT_LOGGER } from './access-log';

/** Every header and field that can hold a secret, wherever it appears in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.apikey',
  'req.headers["x-omni-webhook-secret"]',
  '*.apikey',
  '*.api_key',
  '*.evolution_key',
  '*.agent_api_key',
  '*.discord_bot_token',
  '*.token',
  '*.key',
  '*.secret',
];

/**
 * Nest's logger writes through pino (nestjs-pino), and `AccessLog` writes one line per API
 * request. nestjs-pino's request middleware is not used: it binds a logger to each request
 * through an AsyncLocalStorage, and on Node 20 that storage, once used, runs a hook on every
 * promise of the process, webhooks included (about a tenth of a webhook's CPU).
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const root = rootLoggerOf(config);
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger: root }, forRoutes: [] })],
      providers: [{ provide: ROOT_LOGGER, useValue: root }, AccessLog],
    };
  }
}

function rootLoggerOf(config: AppConfig): pino.Logger {
  const options: pino.LoggerOptions = {
    level: config.log.level,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    transport: config.log.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
  return config.log.folder && !config.log.pretty ? pino(options, logStreams(config.log.folder)) : pino(options);
}

function logStreams(folder: string): pino.MultiStreamRes {
  mkdirSync(folder, { recursive: true });
  return pino.multistream([
    { stream: process.stdout },
    { stream: pino.destination({ dest: path.join(folder, 'omni.log'), mkdir: true, sync: false }) },
  ]);
}
