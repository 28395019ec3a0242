// RFC 9457 problem details: the one error shape every endpoint answers with.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class FieldErrorDto {
  /** The input field that was wrong, as a dotted path (`agent_timeout`, `contacts.0.full_name`). */
  @ApiProperty({ example: 'name' })
  field!: string;

  /** What was wrong with it. */
  @ApiProperty({ type: [String], example: ['name should not be empty'] })
  messages!: string[];
}

export class ProblemDetailsDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiPropertyOptional({ example: 'name should not be empty' })
  detail?: string;

  /** The request path. */
  @ApiPropertyOptional({ example: '/api/v1/instances' })
  instance?: string;

  /** Echoed in the `x-request-id` header; quote it when reporting a problem. */
  @ApiPropertyOptional()
  requestId?: string;

  /** One entry per invalid field, for validation errors. */
  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}
