import { ApiProperty } from '@nestjs/swagger';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class HourlyCountDto {
  /** Start of the hour, UTC. */
  hour!: Date;
  count!: number;
}

export class DailyCountDto {
  /** The day, UTC (YYYY-MM-DD). */
  day!: string;
  count!: number;
}

export class TopSenderDto {
  sender_phone!: string;
  /** The name the sender used last. */
  sender_name!: string | null;
  count!: number;
}

/** The original's TraceAnalytics fields, plus counts by status, p95 times, volume over time and top senders. */
export class TraceAnalyticsResponseDto {
  total_messages!: number;
  /** Traces `completed`. */
  successful_messages!: number;
  /** Traces `failed`. */
  failed_messages!: number;
  /** successful / total, in percent, 2 decimals. */
  success_rate!: number;
  /** Mean of `total_processing_time_ms` where known (0 when none), 2 decimals. */
  avg_processing_time_ms!: number;
  /** Mean of `agent_processing_time_ms` where known (0 when none), 2 decimals. */
  avg_agent_time_ms!: number;
  /** 95th percentile (nearest rank) of `total_processing_time_ms`; null when none. */
  p95_processing_time_ms!: number | null;
  /** 95th percentile (nearest rank) of `agent_processing_time_ms`; null when none. */
  p95_agent_time_ms!: number | null;
  /** Traces per message type. */
  @ApiProperty(COUNTS)
  message_types!: Record<string, number>;
  /** Traces per error stage (traces with an error only). */
  @ApiProperty(COUNTS)
  error_stages!: Record<string, number>;
  /** Traces per instance name. */
  @ApiProperty(COUNTS)
  instances!: Record<string, number>;
  /** Traces per status (received, processing, completed, failed, blocked, …). */
  @ApiProperty(COUNTS)
  statuses!: Record<string, number>;
  /** Hours with traces, oldest first. */
  messages_per_hour!: HourlyCountDto[];
  /** Days with traces, oldest first. */
  messages_per_day!: DailyCountDto[];
  /** The ten senders with the most traces. */
  top_senders!: TopSenderDto[];
  /** The window summarised (null: unbounded). */
  start_date!: Date | null;
  end_date!: Date | null;
}
