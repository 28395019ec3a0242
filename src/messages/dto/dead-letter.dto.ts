import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEAD_LETTER_STAGES, DEAD_LETTER_STATUSES, type DeadLetterStage, type DeadLetterStatus } from '../dead-letter.entity';

export class DeadLetterQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  instance_name?: string;

  /** `agent` (the agent call failed) or `send` (the reply could not be delivered). */
  @IsOptional()
  @IsIn(DEAD_LETTER_STAGES)
  stage?: DeadLetterStage;

  @IsOptional()
  @IsIn(DEAD_LETTER_STATUSES)
  status?: DeadLetterStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number = 50;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number = 0;
}

export class DeadLetterResponseDto {
  id!: string;
  instance_name!: string | null;
  trace_id!: string | null;
  chat_id!: string | null;
  stage!: DeadLetterStage;
  reason!: string;
  attempts!: number;
  status!: DeadLetterStatus;
  /** For `send` letters: the reply parts (and the agent's files) that were not delivered. */
  payload!: { chat_id: string; parts: string[]; files?: object[] } | null;
  created_at!: Date;
  updated_at!: Date;
}

export class DeadLetterListResponseDto {
  items!: DeadLetterResponseDto[];
  total!: number;
  limit!: number;
  offset!: number;
}
