import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/auth';
import { ApiAdminOnly, ApiAuthenticated, ApiNotFound } from '../common/api-error-responses';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyQueryDto, ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@ApiAuthenticated()
@ApiAdminOnly()
@AdminOnly()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** Create an API key for a tenant. The key is in this response only; Omni stores its hash. */
  @Post()
  @ApiNotFound('Tenant')
  createApiKey(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    return this.apiKeys.create(dto);
  }

  /** List API keys (never the keys themselves). */
  @Get()
  listApiKeys(@Query() query: ApiKeyQueryDto): Promise<ApiKeyResponseDto[]> {
    return this.apiKeys.list(query.tenant_id);
  }

  /** Revoke an API key: it stops working at once. */
  @Delete(':key_id')
  @ApiNotFound('API key')
  revokeApiKey(@Param('key_id', ParseUUIDPipe) id: string): Promise<ApiKeyResponseDto> {
    return this.apiKeys.revoke(id);
  }
}
