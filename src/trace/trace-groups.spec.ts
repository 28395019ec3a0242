import { aggregateGroups, nearestRankOffset, TraceGroupRow } from './trace-groups';

describe('nearestRankOffset', () => {
  it.each([
    [1, 0],
    [19, 0],
    [20, 1],
    [21, 1],
    [100, 5],
    [101, 5],
    [1_000_000, 50_000],
  ])('n=%i skips %i from the top', (count, offset) => expect(nearestRankOffset(count, 0.95)).toBe(offset));

  it('picks the value at rank ceil(0.95 n) of the sorted values', () => {
    const values = Array.from({ length: 37 }, (_, i) => (i * 7919) % 101);
    const ascending = [...values].sort((a, b) => a - b);
    const descending = [...ascending].reverse();
    expect(descending[nearestRankOffset(values.length, 0.95)]).toBe(ascending[Math.ceil(0.95 * values.length) - 1]);
  });
});

describe('aggregateGroups', () => {
  const row = (overrides: Partial<TraceGroupRow>): TraceGroupRow => ({
    status: 'completed',
    message_type: 'text',
    error_stage: null,
    instance_name: 'bot',
    count: 1,
    processing_count: 0,
    processing_sum: null,
    agent_count: 0,
    agent_sum: null,
    ...overrides,
  });

  it('adds the grouped rows up into each breakdown, reading numbers given as text', () => {
    const totals = aggregateGroups([
      row({ count: '3', processing_count: '3', processing_sum: '300', agent_count: 2, agent_sum: 120 }),
      row({ status: 'failed', error_stage: 'agent', count: 2, processing_count: 1, processing_sum: 50 }),
      row({ status: 'invalid', message_type: 'unknown', instance_name: null, error_stage: 'webhook' }),
    ]);
    expect(totals).toEqual({
      total: 6,
      statuses: { completed: 3, failed: 2, invalid: 1 },
      messageTypes: { text: 5, unknown: 1 },
      errorStages: { agent: 2, webhook: 1 },
      instances: { bot: 5, unknown: 1 },
      processing: { count: 4, sum: 350 },
      agent: { count: 2, sum: 120 },
    });
  });
});
