import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CHANNEL_TYPES, type ChannelType, MESSAGE_TYPES, type MessageType } from '../../channels/channel';
import { queryBoolean } from '../../common/query-boolean';
import { TRACE_STATUSES, type TraceStatus } from '../message-trace.entity';

/** Which traces, by time: the last 24 hours unless dates are given or `all_time` is set (as the original). */
export class TraceWindowQueryDto {
  /** Received at or after (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  start_date?: Date;

  /** Received at or before (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  end_date?: Date;

  /** Every trace, ignoring the dates and the 24-hour default. */
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  all_time?: boolean = false;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  instance_name?: string;

  /** Admin key only: one tenant's traces. */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;
}

export class ListTracesQueryDto extends TraceWindowQueryDto {
  /** Sender's number or id, exactly (`+`, spaces and JID suffix ignored). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  phone?: string;

  /** Alias of `phone`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sender_phone?: string;

  @IsOptional()
  @IsIn(TRACE_STATUSES)
  status?: TraceStatus;

  /** Alias of `status`. */
  @IsOptional()
  @IsIn(TRACE_STATUSES)
  trace_status?: TraceStatus;

  @IsOptional()
  @IsIn(MESSAGE_TYPES)
  message_type?: MessageType;

  @IsOptional()
  @IsIn(CHANNEL_TYPES)
  channel_type?: ChannelType;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  session_name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  agent_session_id?: string;

  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  has_media?: boolean;

  /** Traces to return (1–1000). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number = 50;

  /** Traces to skip. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number = 0;
}

export class TracesByPhoneQueryDto {
  /** Traces to return (1–500). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number = 50;
}

export class TracePayloadsQueryDto {
  /** Include each payload, decompressed. */
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  include_payload?: boolean = false;

  /** With `include_payload`: replace long base64 strings (media bytes) with a short placeholder. */
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  omit_base64?: boolean = false;
}

export class TraceCleanupQueryDto {
  /** Delete traces received more than this many days ago (1–365). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  days_old?: number = 30;

  /** Only count what would be deleted (the default, as the original). */
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  dry_run?: boolean = true;
}
