import { applyDecorators } from '@nestjs/common';
import { ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsDto } from './problem-details';

const problem = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
  });

/** Security scheme and the error answers every authenticated route can give. */
export const ApiAuthenticated = () =>
  applyDecorators(
    ApiSecurity('ApiKeyAuth'),
    ApiSecurity('BearerAuth'),
    problem(401, 'Missing, unknown or revoked API key'),
    problem(400, 'Invalid input; `errors` lists each bad field'),
  );

export const ApiAdminOnly = () => problem(403, 'Only the admin key may do this');
export const ApiNotFound = (what: string) => problem(404, `${what} not found (or belongs to another tenant)`);
export const ApiConflict = (what: string) => problem(409, what);
export const ApiUnprocessable = (what: string) => problem(422, what);
export const ApiBadGateway = (what: string) => problem(502, what);
