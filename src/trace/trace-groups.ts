// Adding up the analytics' grouped rows, and the rank arithmetic of percentiles: pure, so both
// drivers' rows give the same numbers.

/** One row of the grouped query. PostgreSQL returns counts and sums as numbers here (parseInt8), SQLite too. */
export interface TraceGroupRow {
  status: string;
  message_type: string;
  error_stage: string | null;
  instance_name: string | null;
  count: number | string;
  processing_count: number | string;
  processing_sum: number | string | null;
  agent_count: number | string;
  agent_sum: number | string | null;
}

export interface TimingTotals {
  count: number;
  sum: number;
}

export interface TraceTotals {
  total: number;
  statuses: Record<string, number>;
  messageTypes: Record<string, number>;
  errorStages: Record<string, number>;
  instances: Record<string, number>;
  processing: TimingTotals;
  agent: TimingTotals;
}

/** Traces recorded without an instance (an event for an unknown instance) are counted under this name. */
const NO_INSTANCE = 'unknown';

export function aggregateGroups(rows: TraceGroupRow[]): TraceTotals {
  const totals: TraceTotals = {
    total: 0,
    statuses: {},
    messageTypes: {},
    errorStages: {},
    instances: {},
    processing: { count: 0, sum: 0 },
    agent: { count: 0, sum: 0 },
  };
  for (const row of rows) {
    const count = Number(row.count);
    totals.total += count;
    add(totals.statuses, row.status, count);
    add(totals.messageTypes, row.message_type, count);
    if (row.error_stage !== null) add(totals.errorStages, row.error_stage, count);
    add(totals.instances, row.instance_name ?? NO_INSTANCE, count);
    totals.processing.count += Number(row.processing_count);
    totals.processing.sum += Number(row.processing_sum ?? 0);
    totals.agent.count += Number(row.agent_count);
    totals.agent.sum += Number(row.agent_sum ?? 0);
  }
  return totals;
}

/**
 * Rows to skip, from the largest value down, to reach the nearest-rank percentile: the value
 * at rank ⌈p·n⌉ in ascending order is at position n − ⌈p·n⌉ in descending order.
 */
export function nearestRankOffset(count: number, percentile: number): number {
  return count - Math.max(1, Math.ceil(percentile * count));
}

function add(counts: Record<string, number>, key: string, count: number): void {
  counts[key] = (counts[key] ?? 0) + count;
}
