import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from './config/app-config';
import { FieldErrorDto, ProblemDetailsDto } from './common/problem-details';

export const OPENAPI_JSON_PATH = 'api/v1/openapi.json';
export const SWAGGER_UI_PATH = 'api/v1/docs';

export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Automagik Omni')
    .setDescription(
      'Omni puts AI agents on WhatsApp and Discord. Every /api/v1 route needs an API key in `x-api-key` ' +
        '(or `Authorization: Bearer <key>`). Errors are RFC 9457 problem details.',
    )
    .setVersion(config.version)
    .addApiKey({ type: 'apiKey', name: 'x-api-key', in: 'header' }, 'ApiKeyAuth')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'BearerAuth')
    .build();
  return SwaggerModule.createDocument(app, builder, {
    operationIdFactory: (_controller, method) => method,
    extraModels: [ProblemDetailsDto, FieldErrorDto],
  });
}

/** JSON with object keys sorted, so the committed document changes only when the API does. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
