/**
 * A webhook body that is not valid JSON. Webhook routes receive it instead of a 400 from the
 * parser, so the raw text can be recorded before answering (nothing a channel sends is lost).
 */
export class UnparseableBody {
  constructor(
    readonly raw: string,
    readonly reason: string,
  ) {}
}

export const isWebhookPath = (url: string | undefined): boolean => Boolean(url?.startsWith('/webhook/'));
