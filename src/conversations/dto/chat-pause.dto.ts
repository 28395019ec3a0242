import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PauseChatDto {
  /** How long the agent stays silent in the chat (default: 60 minutes). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(525_600)
  duration_minutes?: number;
}

export class ChatPauseResponseDto {
  instance_name!: string;
  chat_id!: string;
  /** Whether the agent is silent in this chat now. */
  paused!: boolean;
  paused_until!: Date | null;
  /** `human_takeover` (someone answered from the phone) or `operator` (paused through the API). */
  pause_reason!: string | null;
}
