// Lists answer with the original's plain array; the number of matches beyond the page travels
// in a header, so the body stays what existing clients expect.
import { ApiOkResponse } from '@nestjs/swagger';

export const TOTAL_COUNT_HEADER = 'x-total-count';

/** The part of the Fastify reply a handler needs to set the header. */
export interface HeaderSettable {
  header(name: string, value: string): unknown;
}

/** A 200 answer with a list of `type` and the `x-total-count` header. */
export const ApiListWithTotalCount = (type: new () => object, what: string) =>
  ApiOkResponse({
    type: [type],
    headers: { [TOTAL_COUNT_HEADER]: { description: `${what} matching the filters, beyond this page`, schema: { type: 'integer' } } },
  });
