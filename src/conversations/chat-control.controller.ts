import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiNotFound } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../common/auth';
import { InstanceStatusQueryDto } from '../instances/dto/instance-query.dto';
import { InstancesService } from '../instances/instances.service';
import { ChatControlService, ChatPause } from './chat-control.service';
import { ChatPauseResponseDto, PauseChatDto } from './dto/chat-pause.dto';

const DEFAULT_PAUSE_MINUTES = 60;

@ApiTags('conversations')
@ApiAuthenticated()
@Controller('instances/:instance_name/chats/:chat_id')
export class ChatControlController {
  constructor(
    private readonly instances: InstancesService,
    private readonly chats: ChatControlService,
  ) {}

  /** Pause the agent in a chat (a human answers instead) for `duration_minutes` (default 60). */
  @Post('pause')
  @HttpCode(200)
  @ApiNotFound('Instance')
  async pauseChat(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Param('chat_id') chatId: string,
    @Query() query: InstanceStatusQueryDto,
    @Body() dto: PauseChatDto,
  ): Promise<ChatPauseResponseDto> {
    const instance = await this.instances.getByName(principal, name, query.tenant_id);
    const until = new Date(Date.now() + (dto.duration_minutes ?? DEFAULT_PAUSE_MINUTES) * 60_000);
    return toChatPauseResponse(instance.name, chatId, await this.chats.pause(instance.id, chatId, until, 'operator'));
  }

  /** Let the agent answer in a chat again, ending any pause (operator or human takeover). */
  @Post('resume')
  @HttpCode(200)
  @ApiNotFound('Instance')
  async resumeChat(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Param('chat_id') chatId: string,
    @Query() query: InstanceStatusQueryDto,
  ): Promise<ChatPauseResponseDto> {
    const instance = await this.instances.getByName(principal, name, query.tenant_id);
    return toChatPauseResponse(instance.name, chatId, await this.chats.resume(instance.id, chatId));
  }
}

export const toChatPauseResponse = (instanceName: string, chatId: string, pause: ChatPause): ChatPauseResponseDto => ({
  instance_name: instanceName,
  chat_id: chatId,
  paused: pause.paused,
  paused_until: pause.pausedUntil,
  pause_reason: pause.reason,
});
