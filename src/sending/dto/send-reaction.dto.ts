import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { RecipientDto } from './recipient.dto';

export class SendReactionDto extends RecipientDto {
  /** Id of the message to react to, in the chat given by `phone_number`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  message_id!: string;

  /** An emoji (e.g. `👍`); an empty string removes the reaction. */
  @IsString()
  @MaxLength(32)
  reaction!: string;
}
