import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiBadGateway, ApiNotFound, ApiUnprocessable } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../common/auth';
import { InstanceScopeQueryDto } from '../channels/instance-scope-query.dto';
import { MessageResponseDto } from './dto/message-response.dto';
import { SendContactDto } from './dto/send-contact.dto';
import { SendAudioDto, SendMediaDto, SendStickerDto } from './dto/send-media.dto';
import { SendReactionDto } from './dto/send-reaction.dto';
import { SendTextDto } from './dto/send-text.dto';
import { SendingService } from './sending.service';

// Kept singular (`/instance/…`) as in the original API, unlike the `/instances` routes.
@ApiTags('messages')
@ApiAuthenticated()
@ApiNotFound('Instance')
@ApiUnprocessable('Refused by the channel (e.g. not on WhatsApp, session closed), or not supported for this channel yet')
@ApiBadGateway('The channel server (Evolution) did not answer or failed, after retries')
@Controller('instance')
export class SendingController {
  constructor(private readonly sending: SendingService) {}

  /** Send a text (split into one message per paragraph when asked), optionally quoting a message and mentioning people. */
  @Post(':instance_name/send-text')
  @HttpCode(200)
  sendTextMessage(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
    @Body() dto: SendTextDto,
  ): Promise<MessageResponseDto> {
    return this.sending.sendText({ principal, name, tenantId: query.tenant_id }, dto);
  }

  /** Send an image, a video or a document, from a URL or base64. */
  @Post(':instance_name/send-media')
  @HttpCode(200)
  sendMediaMessage(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
    @Body() dto: SendMediaDto,
  ): Promise<MessageResponseDto> {
    return this.sending.sendMedia({ principal, name, tenantId: query.tenant_id }, dto);
  }

  /** Send a voice note, from a URL or base64. */
  @Post(':instance_name/send-audio')
  @HttpCode(200)
  sendAudioMessage(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
    @Body() dto: SendAudioDto,
  ): Promise<MessageResponseDto> {
    return this.sending.sendAudio({ principal, name, tenantId: query.tenant_id }, dto);
  }

  /** Send a sticker, from a URL or base64. */
  @Post(':instance_name/send-sticker')
  @HttpCode(200)
  sendStickerMessage(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
    @Body() dto: SendStickerDto,
  ): Promise<MessageResponseDto> {
    return this.sending.sendSticker({ principal, name, tenantId: query.tenant_id }, dto);
  }

  /** Send one or more contact cards. */
  @Post(':instance_name/send-contact')
  @HttpCode(200)
  sendContactMessage(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
    @Body() dto: SendContactDto,
  ): Promise<MessageResponseDto> {
    return this.sending.sendContacts({ principal, name, tenantId: query.tenant_id }, dto);
  }

  /** React to a message with an emoji (an empty reaction removes it). */
  @Post(':instance_name/send-reaction')
  @HttpCode(200)
  sendReaction(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: InstanceScopeQueryDto,
    @Body() dto: SendReactionDto,
  ): Promise<MessageResponseDto> {
    return this.sending.sendReaction({ principal, name, tenantId: query.tenant_id }, dto);
  }
}
