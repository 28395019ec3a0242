import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth';
import { ProblemDetailsDto } from '../../common/problem-details';
import { WebhookResponseDto } from './webhook-response.dto';
import { WhatsAppInboundService } from './whatsapp-inbound.service';

type WebhookHeaders = Record<string, string | string[] | undefined>;

const EVOLUTION_EVENT = { description: 'An Evolution API v2 webhook event', schema: { type: 'object' } };

@ApiTags('webhooks')
@Public()
@ApiResponse({ status: 400, description: 'Malformed event (recorded in a trace)', type: ProblemDetailsDto })
@ApiResponse({ status: 401, description: 'Wrong or missing webhook secret / instance key', type: ProblemDetailsDto })
@ApiResponse({ status: 404, description: 'No such instance', type: ProblemDetailsDto })
@Controller('webhook/evolution')
export class WhatsAppWebhookController {
  constructor(private readonly inbound: WhatsAppInboundService) {}

  /** Receive an Evolution API event for an instance (answered as soon as it is recorded). */
  @Post(':instance_name')
  @HttpCode(200)
  @ApiBody(EVOLUTION_EVENT)
  receiveEvolutionWebhook(
    @Param('instance_name') instanceName: string,
    @Body() body: unknown,
    @Headers() headers: WebhookHeaders,
  ): Promise<WebhookResponseDto> {
    return this.inbound.receive(instanceName, undefined, body, headers);
  }

  /** Receive an Evolution API event sent with `webhookByEvents` (the event name in the path, e.g. `messages-upsert`). */
  @Post(':instance_name/:event_name')
  @HttpCode(200)
  @ApiBody(EVOLUTION_EVENT)
  receiveEvolutionEventWebhook(
    @Param('instance_name') instanceName: string,
    @Param('event_name') eventName: string,
    @Body() body: unknown,
    @Headers() headers: WebhookHeaders,
  ): Promise<WebhookResponseDto> {
    return this.inbound.receive(instanceName, eventName, body, headers);
  }
}
