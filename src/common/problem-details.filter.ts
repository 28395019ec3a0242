import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from './problem-details';
import { ProblemException } from './problem.exception';
import { InputValidationException } from './validation';

interface HttpRequestLike {
  id?: string;
  url?: string;
}

/** Turns every error into problem details; unknown errors become a 500 that reveals nothing. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const problem = this.toProblem(exception);
    problem.instance = request.url?.split('?')[0];
    problem.requestId = request.id;
    if (problem.status >= 500) this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    const { httpAdapter } = this.adapterHost;
    const reply = http.getResponse();
    httpAdapter.setHeader(reply, 'content-type', PROBLEM_CONTENT_TYPE);
    httpAdapter.reply(reply, problem, problem.status);
  }

  private toProblem(exception: unknown): ProblemDetailsDto {
    if (exception instanceof InputValidationException) {
      return { ...base(400), detail: exception.message, errors: exception.fieldErrors };
    }
    if (exception instanceof ProblemException) {
      return { ...base(exception.getStatus()), detail: exception.message, ...exception.extensions };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { ...base(status), detail: detailOf(exception) };
    }
    const status = statusOfFrameworkError(exception);
    if (status) return { ...base(status), detail: (exception as Error).message };
    return { ...base(HttpStatus.INTERNAL_SERVER_ERROR), detail: 'An unexpected error occurred.' };
  }
}

const base = (status: number) => ({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status });

function detailOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** Fastify's own client errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode. */
function statusOfFrameworkError(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
