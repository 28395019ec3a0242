import type { ChannelSendOptions } from '../channel-adapter';
import type { SentMessage } from '../channel';
import type { EvolutionCallOptions } from './evolution.client';
import type { EvolutionSentMessage } from './evolution.types';
import { asChannelSendError } from './evolution-failures';

/**
 * Runs one Evolution send with the caller's attempt reporting and retry budget, and reports the
 * outcome in the channel contract's terms: the sent message's id, or a ChannelSendError.
 */
export async function deliverThroughEvolution(
  send: (callOptions: EvolutionCallOptions) => Promise<EvolutionSentMessage>,
  options: ChannelSendOptions = {},
): Promise<SentMessage> {
  let statusCode: number | undefined;
  const callOptions: EvolutionCallOptions = {
    onAttempt: (attempt) => {
      statusCode = attempt.status;
      options.onAttempt?.(attempt);
    },
    retry: options.maxAttempts === undefined ? undefined : { maxAttempts: options.maxAttempts },
  };
  try {
    const sent = await send(callOptions);
    return { externalMessageId: sent.key?.id, statusCode, raw: sent };
  } catch (error) {
    throw asChannelSendError(error);
  }
}
