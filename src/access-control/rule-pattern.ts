import { registerDecorator, ValidationOptions } from 'class-validator';
import { isLid, normaliseSenderId } from '../common/sender-id';

export const RULE_TYPES = ['allow', 'block'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/** What a rule's `phone_number` means: an exact id, or every id starting with `value` (`+5511*`; a bare `*` is everyone). */
export interface RulePattern {
  value: string;
  prefix: boolean;
}

const DIGITS = /^\d*$/;

/**
 * Reads a rule as written by an operator. Numbers are normalised like sender ids, so `+55 11*`
 * and `5511*` are one rule. A WhatsApp `@lid` id can only be matched exactly. Null when the
 * text is neither a number, a number prefix, nor a LID.
 */
export function parseRulePattern(raw: string): RulePattern | null {
  const text = raw.trim();
  const prefix = text.endsWith('*');
  const body = prefix ? text.slice(0, -1) : text;
  if (isLid(body)) return prefix || body.includes('*') ? null : { value: body, prefix: false };
  const value = normaliseSenderId(body);
  if (!DIGITS.test(value) || (!prefix && !value)) return null;
  return { value, prefix };
}

/** The stored (and shown) form of a pattern. */
export const formatRulePattern = (pattern: RulePattern): string => `${pattern.value}${pattern.prefix ? '*' : ''}`;

/** The value is a phone number, Discord id, `@lid` id, or a prefix of a number ending in `*`. */
export function IsRulePattern(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isRulePattern',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a phone number or user id, a prefix ending in '*', or a WhatsApp '@lid' id`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseRulePattern(value) !== null },
    });
}
