import type { UserExternalIdDto, UserResponseDto } from './dto/user-response.dto';
import type { UserExternalId } from './user-external-id.entity';
import type { User } from './user.entity';

export const toUserResponse = (u: User): UserResponseDto => ({
  id: u.id,
  tenant_id: u.tenantId,
  phone_number: u.phoneNumber,
  whatsapp_jid: u.whatsappJid,
  instance_name: u.instanceName,
  display_name: u.displayName,
  last_session_name_interaction: u.lastSessionNameInteraction,
  last_agent_user_id: u.lastAgentUserId,
  last_seen_at: u.lastSeenAt,
  message_count: u.messageCount,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

export const toUserExternalIdResponse = (e: UserExternalId): UserExternalIdDto => ({
  provider: e.provider,
  external_id: e.externalId,
  instance_name: e.instanceName,
  created_at: e.createdAt,
});
