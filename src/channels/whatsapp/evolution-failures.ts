// What an Evolution failure means to Omni's callers: the router (retry or give up) and the API
// (which HTTP answer). Evolution's own reasons are passed on; its key never is (the client redacts it).
import {
  BadGatewayException,
  ConflictException,
  HttpException,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ChannelSendError } from '../channel-adapter';
import { EvolutionError } from './evolution-error';

/** Worth trying again later: no answer, a rate limit or a server error. Evolution's refusals are final. */
export function isTransient(error: EvolutionError): boolean {
  if (error.failure === 'timeout' || error.failure === 'network') return true;
  return error.failure === 'http' && error.status !== undefined && (error.status === 429 || error.status >= 500);
}

const reasonOf = (error: EvolutionError): string => error.messages.join('; ');

/** A failed send in the channel contract's terms. Anything but an Evolution failure is returned unchanged. */
export function asChannelSendError(error: unknown): unknown {
  if (!(error instanceof EvolutionError)) return error;
  return new ChannelSendError(reasonOf(error), isTransient(error), error.status);
}

/** Creating or re-configuring an instance: every refusal is a 422, since the request cannot succeed as sent. */
export function provisioningFailure(error: unknown, action: string): unknown {
  if (!(error instanceof EvolutionError)) return error;
  return isTransient(error) ? unreachable(error, action) : refused(error, action);
}

/**
 * An action on an existing instance (QR, restart, contacts…): 404 when Evolution does not know the
 * instance, 409 when its state forbids the action (e.g. restarting a closed instance), 422 otherwise.
 */
export function instanceCallFailure(error: unknown, action: string): unknown {
  if (!(error instanceof EvolutionError)) return error;
  if (isTransient(error)) return unreachable(error, action);
  if (error.status === 404) return new NotFoundException(`Evolution could not ${action}: ${reasonOf(error)}`);
  if (error.failure === 'refused' || error.status === 400) {
    return new ConflictException(`Evolution could not ${action}: ${reasonOf(error)}`);
  }
  return refused(error, action);
}

function unreachable(error: EvolutionError, action: string): HttpException {
  const how = error.status === undefined ? 'did not answer' : `failed with HTTP ${error.status}`;
  return new BadGatewayException(`Evolution ${how} when asked to ${action}: ${reasonOf(error)}`);
}

function refused(error: EvolutionError, action: string): HttpException {
  return new UnprocessableEntityException(`Evolution refused to ${action}: ${reasonOf(error)}`);
}
