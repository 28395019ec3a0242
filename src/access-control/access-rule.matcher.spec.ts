import type { AccessMode } from '../instances/instance-settings';
import { decideAccess, indexRules, MatchableRule } from './access-rule.matcher';
import { parseRulePattern, RuleType } from './rule-pattern';

const HERE = 'instance-here';
const ELSEWHERE = 'instance-elsewhere';

/** `global allow +5511*` → a rule; the id is the rule's text, so a decision names it. */
function rule(text: string): MatchableRule {
  const [scope, ruleType, ...words] = text.split(' ') as ['global' | 'here' | 'elsewhere', RuleType, ...string[]];
  const pattern = words.join(' ');
  const instanceId = scope === 'global' ? null : scope === 'here' ? HERE : ELSEWHERE;
  return { id: text, instanceId, pattern: parseRulePattern(pattern)!, ruleType };
}

interface Case {
  name: string;
  rules: string[];
  ids: string[];
  mode?: AccessMode;
  allowed: boolean;
  /** The deciding rule; null when none matched. */
  by: string | null;
}

const cases: Case[] = [
  { name: 'no rules, open instance', rules: [], ids: ['5511988880001'], allowed: true, by: null },
  { name: 'no rules, allow-list instance', rules: [], ids: ['5511988880001'], mode: 'allowlist', allowed: false, by: null },
  { name: 'exact block', rules: ['global block 5511988880001'], ids: ['5511988880001'], allowed: false, by: 'global block 5511988880001' },
  { name: 'exact rule does not match another number', rules: ['global block 5511988880001'], ids: ['5511988880002'], allowed: true, by: null },
  { name: 'prefix block', rules: ['global block +5511*'], ids: ['5511988880001'], allowed: false, by: 'global block +5511*' },
  { name: 'prefix does not match elsewhere', rules: ['global block +5511*'], ids: ['5521988880001'], allowed: true, by: null },
  {
    name: 'longer allow prefix beats shorter block prefix',
    rules: ['global block +1*', 'global allow +12345*'],
    ids: ['12345678901'],
    allowed: true,
    by: 'global allow +12345*',
  },
  {
    name: 'shorter allow prefix loses to longer block prefix',
    rules: ['global block +1*', 'global allow +12345*'],
    ids: ['19995678901'],
    allowed: false,
    by: 'global block +1*',
  },
  {
    name: 'exact block beats a prefix allow',
    rules: ['global allow 5511*', 'global block 5511988880001'],
    ids: ['5511988880001'],
    allowed: false,
    by: 'global block 5511988880001',
  },
  {
    name: 'exact allow beats a prefix block',
    rules: ['global block 5511*', 'global allow 5511988880001'],
    ids: ['5511988880001'],
    allowed: true,
    by: 'global allow 5511988880001',
  },
  {
    name: 'allow wins a tie of equal exact rules',
    rules: ['global block 5511988880001', 'global allow 5511988880001'],
    ids: ['5511988880001'],
    allowed: true,
    by: 'global allow 5511988880001',
  },
  {
    name: 'allow wins a tie between exact and prefix of equal length',
    rules: ['global block 5511988880001', 'global allow 5511988880001*'],
    ids: ['5511988880001'],
    allowed: true,
    by: 'global allow 5511988880001*',
  },
  { name: 'bare * blocks everyone', rules: ['global block *'], ids: ['5511988880001'], allowed: false, by: 'global block *' },
  {
    name: 'allow-list by block * plus allows',
    rules: ['global block *', 'global allow 5511*'],
    ids: ['5511988880001'],
    allowed: true,
    by: 'global allow 5511*',
  },
  { name: 'allow * and block * tie: allow', rules: ['global block *', 'global allow *'], ids: ['1'], allowed: true, by: 'global allow *' },
  { name: 'instance rule applies on its instance', rules: ['here block 5511*'], ids: ['5511988880001'], allowed: false, by: 'here block 5511*' },
  { name: 'instance rule ignored on another instance', rules: ['elsewhere block 5511*'], ids: ['5511988880001'], allowed: true, by: null },
  {
    name: 'instance allow does not outrank a longer global block',
    rules: ['global block 5511988880001', 'here allow 5511*'],
    ids: ['5511988880001'],
    allowed: false,
    by: 'global block 5511988880001',
  },
  {
    name: 'longer instance allow beats a global block',
    rules: ['global block 55*', 'here allow 5511*'],
    ids: ['5511988880001'],
    allowed: true,
    by: 'here allow 5511*',
  },
  {
    name: 'instance block and global allow of equal length tie: allow',
    rules: ['global allow 5511*', 'here block 5511*'],
    ids: ['5511988880001'],
    allowed: true,
    by: 'global allow 5511*',
  },
  {
    name: 'allow-list instance admits an allowed number',
    rules: ['global allow 5511988880001'],
    ids: ['5511988880001'],
    mode: 'allowlist',
    allowed: true,
    by: 'global allow 5511988880001',
  },
  {
    name: 'allow-list instance blocks a stranger',
    rules: ['global allow 5511988880001'],
    ids: ['5511988880002'],
    mode: 'allowlist',
    allowed: false,
    by: null,
  },
  {
    name: 'allow-list instance: another instance\'s allow does not count',
    rules: ['elsewhere allow 5511*'],
    ids: ['5511988880001'],
    mode: 'allowlist',
    allowed: false,
    by: null,
  },
  {
    name: 'allow-list instance still obeys an explicit block',
    rules: ['global allow 55*', 'here block 5511988880001'],
    ids: ['5511988880001'],
    mode: 'allowlist',
    allowed: false,
    by: 'here block 5511988880001',
  },
  {
    name: 'sender id as a JID with device suffix',
    rules: ['global block +55 11 98888-0001'],
    ids: ['5511988880001:12@s.whatsapp.net'],
    allowed: false,
    by: 'global block +55 11 98888-0001',
  },
  { name: 'sender id with + and spaces', rules: ['global block 5511*'], ids: ['+55 11 98888 0001'], allowed: false, by: 'global block 5511*' },
  {
    name: 'LID rule matches the LID exactly',
    rules: ['global block 187654321098765@lid'],
    ids: ['187654321098765@lid'],
    allowed: false,
    by: 'global block 187654321098765@lid',
  },
  { name: 'number prefix does not reach a LID', rules: ['global block 1876*'], ids: ['187654321098765@lid'], allowed: true, by: null },
  { name: 'bare * reaches a LID', rules: ['global block *'], ids: ['187654321098765@lid'], allowed: false, by: 'global block *' },
  {
    name: 'best match over all ids: the phone allow beats the LID-less block',
    rules: ['global block *', 'global allow 5511988880001'],
    ids: ['187654321098765@lid', '5511988880001'],
    mode: 'allowlist',
    allowed: true,
    by: 'global allow 5511988880001',
  },
  {
    name: 'best match over all ids: a LID block beats a shorter phone allow',
    rules: ['global allow 55*', 'global block 187654321098765@lid'],
    ids: ['5511988880001', '187654321098765@lid'],
    allowed: false,
    by: 'global block 187654321098765@lid',
  },
  { name: 'Discord ids are numbers too', rules: ['global block 123456789012345678'], ids: ['123456789012345678'], allowed: false, by: 'global block 123456789012345678' },
];

describe('decideAccess', () => {
  it.each(cases)('$name', ({ rules, ids, mode, allowed, by }) => {
    const decision = decideAccess(indexRules(rules.map(rule)), HERE, mode ?? 'open', ids);
    expect({ allowed: decision.allowed, by: decision.ruleId }).toEqual({ allowed, by });
    expect(decision.reason).toMatch(allowed ? /allowed|open/ : /blocked|allow-list/);
  });
});

describe('parseRulePattern', () => {
  it.each([
    ['+55 11 98888-0001', { value: '5511988880001', prefix: false }],
    ['5511988880001@s.whatsapp.net', { value: '5511988880001', prefix: false }],
    ['+5511*', { value: '5511', prefix: true }],
    ['+55 11 *', { value: '5511', prefix: true }],
    ['*', { value: '', prefix: true }],
    ['187654321098765@lid', { value: '187654321098765@lid', prefix: false }],
  ])('reads %p', (text, pattern) => expect(parseRulePattern(text)).toEqual(pattern));

  it.each(['', '+', 'bob', '55*11', '1876*@lid', '187654321098765@lid*'])('refuses %p', (text) => {
    expect(parseRulePattern(text)).toBeNull();
  });
});
