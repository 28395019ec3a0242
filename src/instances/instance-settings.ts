// Value sets of the instance settings, shared by the entity, the DTOs and the router.
export const ACCESS_MODES = ['open', 'allowlist'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const GROUP_POLICIES = ['open', 'allowlist', 'disabled'] as const;
export type GroupPolicy = (typeof GROUP_POLICIES)[number];

export const TRIGGER_TYPES = ['all', 'keyword', 'none'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const TRIGGER_OPERATORS = ['contains', 'equals', 'starts_with', 'ends_with', 'regex'] as const;
export type TriggerOperator = (typeof TRIGGER_OPERATORS)[number];

/** Per-group settings that override the instance's group settings for one chat id. */
export interface GroupOverride {
  chat_id: string;
  group_policy?: 'open' | 'disabled';
  group_require_mention?: boolean;
  mention_patterns?: string[];
}
