// The only file that reads the environment. Everything is validated once at start; a bad value
// stops the process with a message naming the variable.
import { plainToInstance, Transform } from 'class-transformer';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateCronExpression } from 'cron';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase()) : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
const blankToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** Environment variables as documented in .env.example (names kept from Automagik Omni). */
class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsString()
  AUTOMAGIK_OMNI_API_HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  AUTOMAGIK_OMNI_API_PORT = 8882;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'AUTOMAGIK_OMNI_API_KEY must be at least 16 characters long' })
  AUTOMAGIK_OMNI_API_KEY?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'AUTOMAGIK_OMNI_DATABASE_URL must start with postgresql://' })
  AUTOMAGIK_OMNI_DATABASE_URL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgresql://' })
  DATABASE_URL?: string;

  @IsString()
  AUTOMAGIK_OMNI_SQLITE_DATABASE_PATH = './data/automagik-omni.db';

  @Transform(toBool)
  @IsBoolean()
  AUTOMAGIK_OMNI_RUN_MIGRATIONS = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  AUTOMAGIK_OMNI_DATABASE_POOL_SIZE = 10;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  LOG_FOLDER?: string;

  @IsString()
  AUTOMAGIK_TIMEZONE = 'UTC';

  @Transform(toBool)
  @IsBoolean()
  AUTOMAGIK_OMNI_ENABLE_TRACING = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  AUTOMAGIK_OMNI_TRACE_RETENTION_DAYS = 30;

  @IsString()
  @MaxLength(100)
  AUTOMAGIK_OMNI_TRACE_RETENTION_CRON = '0 3 * * *';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  AUTOMAGIK_OMNI_TYPING_DELAY_MAX_MS = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  AUTOMAGIK_OMNI_CIRCUIT_FAILURE_THRESHOLD = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  AUTOMAGIK_OMNI_MAX_CONCURRENT_CHATS = 64;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  AUTOMAGIK_OMNI_CIRCUIT_COOLDOWN_MS = 30_000;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUTOMAGIK_OMNI_DISCORD_API_URL = 'https://discord.com/api';

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUTOMAGIK_OMNI_PUBLIC_URL = 'http://localhost:8882';
}

export type DatabaseConfig =
  | { type: 'postgres'; url: string; poolSize: number }
  | { type: 'sqlite'; path: string };

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  version: string;
  http: { host: string; port: number; publicUrl: string };
  auth: { adminKey?: string };
  database: DatabaseConfig & { runMigrations: boolean };
  log: { level: string; folder?: string; pretty: boolean };
  timezone: string;
  tracing: { enabled: boolean; retentionDays: number; retentionCron: string };
  discord: { apiUrl: string };
  /** Longest "typing…" pause before a reply part (sized to its length; 0 sends at once). */
  messaging: { typingMaxMs: number; circuitFailureThreshold: number; circuitCooldownMs: number; maxConcurrentChats: number };
}

/** Injection token and type of the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigValidationError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, stripUndefined(env), { exposeDefaultValues: true });
  const errors = validateSync(vars, { whitelist: false, forbidUnknownValues: false });
  if (errors.length) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigValidationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  assertTimezone(vars.AUTOMAGIK_TIMEZONE);
  assertCron(vars.AUTOMAGIK_OMNI_TRACE_RETENTION_CRON);
  const postgresUrl = vars.AUTOMAGIK_OMNI_DATABASE_URL ?? vars.DATABASE_URL;
  const database: DatabaseConfig = postgresUrl
    ? { type: 'postgres', url: postgresUrl, poolSize: vars.AUTOMAGIK_OMNI_DATABASE_POOL_SIZE }
    : { type: 'sqlite', path: vars.AUTOMAGIK_OMNI_SQLITE_DATABASE_PATH };
  return {
    env: vars.NODE_ENV,
    version: packageVersion(),
    http: {
      host: vars.AUTOMAGIK_OMNI_API_HOST,
      port: vars.AUTOMAGIK_OMNI_API_PORT,
      publicUrl: vars.AUTOMAGIK_OMNI_PUBLIC_URL.replace(/\/+$/, ''),
    },
    auth: { adminKey: vars.AUTOMAGIK_OMNI_API_KEY },
    database: { ...database, runMigrations: vars.AUTOMAGIK_OMNI_RUN_MIGRATIONS },
    log: { level: vars.LOG_LEVEL, folder: vars.LOG_FOLDER, pretty: vars.NODE_ENV === 'development' },
    timezone: vars.AUTOMAGIK_TIMEZONE,
    tracing: {
      enabled: vars.AUTOMAGIK_OMNI_ENABLE_TRACING,
      retentionDays: vars.AUTOMAGIK_OMNI_TRACE_RETENTION_DAYS,
      retentionCron: vars.AUTOMAGIK_OMNI_TRACE_RETENTION_CRON,
    },
    discord: { apiUrl: vars.AUTOMAGIK_OMNI_DISCORD_API_URL.replace(/\/+$/, '') },
    messaging: {
      typingMaxMs: vars.AUTOMAGIK_OMNI_TYPING_DELAY_MAX_MS,
      circuitFailureThreshold: vars.AUTOMAGIK_OMNI_CIRCUIT_FAILURE_THRESHOLD,
      circuitCooldownMs: vars.AUTOMAGIK_OMNI_CIRCUIT_COOLDOWN_MS,
      maxConcurrentChats: vars.AUTOMAGIK_OMNI_MAX_CONCURRENT_CHATS,
    },
  };
}

function stripUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function assertTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ConfigValidationError(`Invalid configuration:\n  AUTOMAGIK_TIMEZONE: unknown time zone "${timezone}"`);
  }
}

function assertCron(expression: string): void {
  const { valid, error } = validateCronExpression(expression);
  if (!valid) {
    throw new ConfigValidationError(
      `Invalid configuration:\n  AUTOMAGIK_OMNI_TRACE_RETENTION_CRON: "${expression}" is not a cron expression (${error?.message})`,
    );
  }
}

function packageVersion(): string {
  // Walks up from src/config or dist/config (or a benchmark build) to the project's package.json.
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
