import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { SkipLimitQueryDto } from '../../common/pagination.dto';
import { queryBoolean } from '../../common/query-boolean';
import { IsRulePattern, RULE_TYPES, type RuleType } from '../rule-pattern';

export class CreateAccessRuleDto {
  /**
   * The sender: a phone number (`+` optional, spaces and dashes ignored, a WhatsApp JID is
   * accepted), a Discord user id, a WhatsApp `@lid` id, or a prefix ending in `*` (`+5511*`;
   * `*` alone matches everyone).
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @IsRulePattern()
  phone_number!: string;

  @IsIn(RULE_TYPES)
  rule_type!: RuleType;

  /** The instance the rule is for; omitted or null: every instance (a global rule). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  instance_name?: string | null;

  /**
   * Admin key only: the tenant of a global rule. An admin's global rule without a tenant applies
   * to every tenant. With `instance_name`, it picks the tenant when several use that name.
   */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;
}

export class UpdateAccessRuleDto {
  /** A new number, id or prefix (as in `CreateAccessRuleDto`). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @IsRulePattern()
  phone_number?: string;

  @IsOptional()
  @IsIn(RULE_TYPES)
  rule_type?: RuleType;

  /** Move the rule to this instance; null makes it global. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  instance_name?: string | null;
}

export class AccessRuleQueryDto extends SkipLimitQueryDto {
  /** Only the rules of this instance. */
  @IsOptional()
  @IsString()
  instance_name?: string;

  /** Only global rules (those for every instance). */
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  global_only?: boolean = false;

  @IsOptional()
  @IsIn(RULE_TYPES)
  rule_type?: RuleType;

  /** Admin key only: one tenant's rules. */
  @IsOptional()
  @IsUUID()
  tenant_id?: string;
}
