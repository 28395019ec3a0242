/** What Omni answers Evolution (the original's shape: status, instance, trace_id). */
export class WebhookResponseDto {
  /** `success` (recorded, processing in the background), `duplicate` (already recorded) or `ignored`. */
  status!: 'success' | 'duplicate' | 'ignored';
  instance!: string;
  trace_id?: string;
  /** Why an event was ignored. */
  reason?: string;
}
