import { HttpException } from '@nestjs/common';

/** An HTTP error whose problem-details body carries extra members (e.g. the trace that recorded it). */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    detail: string,
    readonly extensions: Record<string, unknown>,
  ) {
    super(detail, status);
  }
}
