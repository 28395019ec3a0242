/** Why part of a listing is missing (the original's `partial_errors` entries). */
export class PartialErrorDto {
  instance_name!: string;
  channel_type!: string;
  /** e.g. `channel_type_mismatch`. */
  error_code!: string;
  message!: string;
}
