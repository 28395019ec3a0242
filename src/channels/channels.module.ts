import { Global, Module } from '@nestjs/common';
import { ChannelRegistry } from './channel-adapter';

/** Holds the registry every channel adds its adapter to (global: channels and the router share it). */
@Global()
@Module({ providers: [ChannelRegistry], exports: [ChannelRegistry] })
export class ChannelsModule {}
