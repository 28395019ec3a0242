import type { RuleType } from '../rule-pattern';

export class AccessRuleResponseDto {
  id!: string;
  /** null: an admin rule that applies to every tenant (read-only for tenant keys). */
  tenant_id!: string | null;
  instance_id!: string | null;
  /** null: a global rule, for every instance. */
  instance_name!: string | null;
  /** The normalised pattern: digits, digits ending in `*`, `*`, or a `@lid` id. */
  phone_number!: string;
  rule_type!: RuleType;
  created_at!: Date;
  updated_at!: Date;
}
