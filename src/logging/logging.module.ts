import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';

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

@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const pinoHttp = {
      level: config.log.level,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      // Only what is needed to follow a request; headers may carry keys.
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' },
      transport: config.log.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    };
    const stream = config.log.folder && !config.log.pretty ? logStreams(config.log.folder) : undefined;
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: stream ? [pinoHttp, stream] : pinoHttp,
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          // Webhooks are the hot path and each one is recorded in a trace; an access-log line (and
          // the request logger behind it) cost a tenth of the ingest rate. Refusals are logged.
          exclude: [{ path: 'webhook/{*path}', method: RequestMethod.ALL }],
        }),
      ],
    };
  }
}

function logStreams(folder: string): pino.MultiStreamRes {
  mkdirSync(folder, { recursive: true });
  return pino.multistream([
    { stream: process.stdout },
    { stream: pino.destination({ dest: path.join(folder, 'omni.log'), mkdir: true, sync: false }) },
  ]);
}
