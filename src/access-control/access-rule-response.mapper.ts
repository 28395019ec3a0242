import type { AccessRule } from './access-rule.entity';
import type { AccessRuleResponseDto } from './dto/access-rule-response.dto';

export const toAccessRuleResponse = (rule: AccessRule, instanceName: string | null): AccessRuleResponseDto => ({
  id: rule.id,
  tenant_id: rule.tenantId,
  instance_id: rule.instanceId,
  instance_name: instanceName,
  phone_number: rule.phoneNumber,
  rule_type: rule.ruleType,
  created_at: rule.createdAt,
  updated_at: rule.updatedAt,
});
