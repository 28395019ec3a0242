import { TraceResponseDto } from '../../trace/dto/trace-response.dto';
import type { IdentityProvider } from '../user-external-id.entity';

/** A person who wrote to one of the tenant's instances. */
export class UserResponseDto {
  id!: string;
  tenant_id!: string;
  /** `+<digits>`, when the channel revealed the number. */
  phone_number!: string | null;
  whatsapp_jid!: string | null;
  /** The instance the person last wrote to. */
  instance_name!: string | null;
  display_name!: string | null;
  last_session_name_interaction!: string | null;
  last_agent_user_id!: string | null;
  last_seen_at!: Date | null;
  message_count!: number;
  created_at!: Date;
  updated_at!: Date;
}

/** One id of the person on a channel. */
export class UserExternalIdDto {
  /** `whatsapp` (phone), `whatsapp_lid` (`@lid` id) or `discord` (user id). */
  provider!: IdentityProvider;
  external_id!: string;
  /** The instance the id was first seen on. */
  instance_name!: string | null;
  created_at!: Date;
}

export class UserDetailResponseDto extends UserResponseDto {
  /** Every id the person is known by, per channel. */
  external_ids!: UserExternalIdDto[];
  /** The person's latest traces, newest first. */
  recent_traces!: TraceResponseDto[];
}
