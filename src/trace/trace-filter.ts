import type { SelectQueryBuilder } from 'typeorm';
import type { ChannelType, MessageType } from '../channels/channel';
import { normaliseSenderId } from '../common/sender-id';
import type { ListTracesQueryDto, TraceWindowQueryDto } from './dto/trace-query.dto';
import type { MessageTrace, TraceStatus } from './message-trace.entity';
import { HOUR_MS, type HourRange } from './trace-rollup.service';

/** Which traces a read or a deletion is about. Every field narrows; undefined means any. */
export interface TraceFilter {
  /** undefined: every tenant (admin). */
  tenantId?: string;
  instanceId?: string;
  /** Traces of instances not in this list (and of deleted instances). */
  excludeInstanceIds?: string[];
  instanceName?: string;
  senderPhone?: string;
  userId?: string;
  status?: TraceStatus;
  messageType?: MessageType;
  channelType?: ChannelType;
  sessionName?: string;
  agentSessionId?: string;
  hasMedia?: boolean;
  /** Received at or after. */
  from?: Date;
  /** Received at or before. */
  to?: Date;
  /** Received strictly before (retention cut-off). */
  before?: Date;
  /** Leaves out these whole hours (the analytics read them from the roll-ups). */
  exceptHours?: HourRange;
}

const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Filter fields compared for equality, and the entity property each one reads. */
const EQUALITIES = {
  tenantId: 'tenantId',
  instanceId: 'instanceId',
  instanceName: 'instanceName',
  senderPhone: 'senderPhone',
  userId: 'userId',
  status: 'status',
  messageType: 'messageType',
  channelType: 'channelType',
  sessionName: 'sessionName',
  agentSessionId: 'agentSessionId',
  hasMedia: 'hasMedia',
} as const satisfies Partial<Record<keyof TraceFilter, keyof MessageTrace>>;

/** Adds the filter to a query over `message_traces` aliased `t`. */
export function whereTraces<T extends SelectQueryBuilder<MessageTrace>>(query: T, filter: TraceFilter): T {
  for (const [key, property] of Object.entries(EQUALITIES) as [keyof typeof EQUALITIES, string][]) {
    if (filter[key] !== undefined) query.andWhere(`t.${property} = :${key}`, { [key]: filter[key] });
  }
  if (filter.excludeInstanceIds?.length) {
    query.andWhere('(t.instanceId IS NULL OR t.instanceId NOT IN (:...excludeInstanceIds))', {
      excludeInstanceIds: filter.excludeInstanceIds,
    });
  }
  if (filter.from) query.andWhere('t.receivedAt >= :from', { from: filter.from });
  if (filter.to) query.andWhere('t.receivedAt <= :to', { to: filter.to });
  if (filter.before) query.andWhere('t.receivedAt < :before', { before: filter.before });
  if (filter.exceptHours) exceptHours(query, filter.exceptHours);
  return query;
}

function exceptHours(query: SelectQueryBuilder<MessageTrace>, { fromHour, toHour }: HourRange): void {
  const exceptTo = new Date(toHour * HOUR_MS);
  if (fromHour === null) query.andWhere('t.receivedAt >= :exceptTo', { exceptTo });
  else query.andWhere('(t.receivedAt < :exceptFrom OR t.receivedAt >= :exceptTo)', { exceptFrom: new Date(fromHour * HOUR_MS), exceptTo });
}

/** The original's time window: the last 24 hours unless dates are given, everything with `all_time`. */
export function windowOf(query: TraceWindowQueryDto, now = new Date()): Pick<TraceFilter, 'from' | 'to'> {
  if (query.all_time) return {};
  if (!query.start_date && !query.end_date) return { from: new Date(now.getTime() - DEFAULT_WINDOW_MS) };
  return { from: query.start_date, to: query.end_date };
}

/** The filter a trace list asks for (the caller adds the tenant). */
export function listFilterOf(query: ListTracesQueryDto): TraceFilter {
  const phone = query.phone ?? query.sender_phone;
  return {
    ...windowOf(query),
    instanceName: query.instance_name,
    senderPhone: phone === undefined ? undefined : normaliseSenderId(phone),
    status: query.status ?? query.trace_status,
    messageType: query.message_type,
    channelType: query.channel_type,
    sessionName: query.session_name,
    agentSessionId: query.agent_session_id,
    hasMedia: query.has_media,
  };
}
