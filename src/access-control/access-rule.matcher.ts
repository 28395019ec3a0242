// Who may talk to an instance, decided from the rules alone (no I/O): the router asks this for
// every message, so rules are indexed once and each decision costs a few map lookups per id.
//
// Semantics (the original's, plus allow-list mode):
// - a rule matches an id exactly, or as a prefix (`5511*`); a global rule (no instance) applies
//   to every instance of its tenant, an instance rule to that instance only;
// - the longest match wins — an exact match scores the id's length, a prefix its own length —
//   and scope does not outrank it: an instance rule and a global rule of equal length tie;
// - allow wins a tie;
// - no match at all: allowed when the instance is `open`, blocked when it is in `allowlist` mode.
import { isLid, normaliseSenderId } from '../common/sender-id';
import type { AccessMode } from '../instances/instance-settings';
import { formatRulePattern, RulePattern, RuleType } from './rule-pattern';

export interface MatchableRule {
  id: string;
  /** null: applies to every instance of the tenant. */
  instanceId: string | null;
  pattern: RulePattern;
  ruleType: RuleType;
}

export interface AccessDecision {
  allowed: boolean;
  /** The rule that decided, or null when none matched. */
  ruleId: string | null;
  reason: string;
}

/** Rules grouped by the text they match, so a lookup never scans the whole list. */
export interface RuleIndex {
  exact: Map<string, MatchableRule[]>;
  prefix: Map<string, MatchableRule[]>;
}

interface Match {
  rule: MatchableRule;
  score: number;
}

export function indexRules(rules: MatchableRule[]): RuleIndex {
  const index: RuleIndex = { exact: new Map(), prefix: new Map() };
  for (const rule of rules) {
    const bucket = rule.pattern.prefix ? index.prefix : index.exact;
    bucket.set(rule.pattern.value, [...(bucket.get(rule.pattern.value) ?? []), rule]);
  }
  return index;
}

/** Decides for a sender known by `ids` (phone digits, LID, Discord id): the best match over all of them. */
export function decideAccess(index: RuleIndex, instanceId: string, mode: AccessMode, ids: string[]): AccessDecision {
  const best: Record<RuleType, Match | undefined> = { allow: undefined, block: undefined };
  for (const id of new Set(ids.map(normaliseSenderId).filter(Boolean))) {
    for (const match of matchesOf(index, id)) {
      if (match.rule.instanceId !== null && match.rule.instanceId !== instanceId) continue;
      const current = best[match.rule.ruleType];
      if (!current || match.score > current.score) best[match.rule.ruleType] = match;
    }
  }
  const { allow, block } = best;
  if (allow && (!block || allow.score >= block.score)) return decided(true, allow.rule);
  if (block) return decided(false, block.rule);
  return mode === 'allowlist'
    ? { allowed: false, ruleId: null, reason: 'no matching rule (instance is in allow-list mode)' }
    : { allowed: true, ruleId: null, reason: 'no matching rule (instance is open)' };
}

function* matchesOf(index: RuleIndex, id: string): Generator<Match> {
  for (const rule of index.exact.get(id) ?? []) yield { rule, score: id.length };
  // A LID is not a number: only the bare `*` (everyone) reaches it by prefix.
  const longest = isLid(id) ? 0 : id.length;
  for (let length = 0; length <= longest; length++) {
    for (const rule of index.prefix.get(id.slice(0, length)) ?? []) yield { rule, score: length };
  }
}

function decided(allowed: boolean, rule: MatchableRule): AccessDecision {
  const verb = allowed ? 'allowed' : 'blocked';
  const scope = rule.instanceId ? 'instance' : 'global';
  return { allowed, ruleId: rule.id, reason: `${verb} by ${scope} ${rule.ruleType} rule ${formatRulePattern(rule.pattern)}` };
}
