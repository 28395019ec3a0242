import type { ChannelConnectionState } from '../instance-actions/instance-connector';

const CHANNEL_STATES: Record<string, ChannelConnectionState> = {
  open: 'connected',
  close: 'disconnected',
  connecting: 'connecting',
};

/** Evolution's connection state in Omni's channel-neutral words, as the original mapped it. */
export function channelStateOf(evolutionState: string | undefined): ChannelConnectionState {
  return (evolutionState && CHANNEL_STATES[evolutionState]) || 'error';
}
