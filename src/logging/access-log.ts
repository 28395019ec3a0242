import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pino from 'pino';
import { isWebhookPath } from '../common/unparseable-body';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * One line per API request once it is answered, with its request id (the caller's
 * `x-request-id` when safe), method, path, status and time. Not for webhooks: each one is
 * recorded in a trace, and a line per webhook would cost the hot path; refusals are logged.
 */
@Injectable()
export class AccessLog implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onResponse', (request, reply, done) => {
      if (request.url !== '/health' && !isWebhookPath(request.url)) this.write(request, reply);
      done();
    });
  }

  private write(request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      req: { id: request.id, method: request.method, url: request.url },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) this.logger.error(line, 'request errored');
    else this.logger.info(line, 'request completed');
  }
}
