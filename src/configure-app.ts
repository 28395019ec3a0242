// The wiring shared by main.ts, the e2e tests and the OpenAPI export: prefix, validation,
// problem details, request ids and OpenAPI. Tests that use it exercise the production setup.
import { RequestMethod } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { isWebhookPath, UnparseableBody } from './common/unparseable-body';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import { buildOpenApiDocument, OPENAPI_JSON_PATH, SWAGGER_UI_PATH } from './openapi';

/** Evolution posts media as base64 inside the JSON body, so webhooks can be large. */
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;
const SAFE_REQUEST_ID = /^[\w.:-]{1,100}$/;

type ParserDone = (err: Error | null, body?: unknown) => void;

/** Fastify's own JSON parser, except that a webhook with a broken body reaches its route to be recorded. */
function useJsonParserKeepingBadWebhooks(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (req, body, done: ParserDone) => {
    parseJson(req as Parameters<typeof parseJson>[0], body.toString('utf8'), (err: Error | null, parsed?: unknown) => {
      if (err && isWebhookPath(req.url)) return done(null, new UnparseableBody(body.toString('utf8'), err.message));
      done(err, parsed);
    });
  });
}

export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    // A caller's x-request-id is kept when it is safe to put in a log line; otherwise a new one.
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });
}

export function configureApp(app: NestFastifyApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  useJsonParserKeepingBadWebhooks(app);
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'webhook/*path', method: RequestMethod.ALL },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
  const document = buildOpenApiDocument(app, config);
  SwaggerModule.setup(SWAGGER_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'api/v1/openapi.yaml',
    customSiteTitle: 'Automagik Omni API',
  });
}
