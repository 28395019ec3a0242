import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class ReplayQueryDto {
  /** Return the agent's answer without sending it. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dry_run?: boolean = false;
}

export class ReplayResponseDto {
  trace_id!: string;
  dry_run!: boolean;
  /** The agent's answer to the replayed message. */
  agent_response!: string;
  agent_session_id!: string | null;
  /** The parts sent to the chat (none on a dry run). */
  sent_parts!: string[];
}
