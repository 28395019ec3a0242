import { Module } from '@nestjs/common';
import { AgentHttp } from './agent-http';
import { AgentService } from './agent.service';
import { AutomagikAgentClient } from './automagik.client';
import { HiveClient } from './hive.client';

@Module({
  providers: [AgentHttp, HiveClient, AutomagikAgentClient, AgentService],
  exports: [AgentService],
})
export class AgentModule {}
