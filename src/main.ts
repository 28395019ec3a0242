import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config';
import { configureApp, createFastifyAdapter } from './configure-app';

async function bootstrap(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createFastifyAdapter(), {
    bufferLogs: true,
  });
  configureApp(app, config);
  await app.listen(config.http.port, config.http.host);
}

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigValidationError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

void bootstrap(readConfig());
