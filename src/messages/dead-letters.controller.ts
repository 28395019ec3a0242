import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiBadGateway, ApiConflict, ApiNotFound } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal, scopeOf } from '../common/auth';
import { DeadLetterRetryService } from './dead-letter-retry.service';
import { DeadLettersService, toDeadLetterResponse } from './dead-letters.service';
import { DeadLetterListResponseDto, DeadLetterQueryDto, DeadLetterResponseDto } from './dto/dead-letter.dto';

@ApiTags('dead-letters')
@ApiAuthenticated()
@Controller('dead-letters')
export class DeadLettersController {
  constructor(
    private readonly letters: DeadLettersService,
    private readonly retries: DeadLetterRetryService,
  ) {}

  /** List messages whose agent call or reply failed after retries (newest first). */
  @Get()
  listDeadLetters(@CurrentPrincipal() principal: Principal, @Query() query: DeadLetterQueryDto): Promise<DeadLetterListResponseDto> {
    return this.letters.list(scopeOf(principal), query);
  }

  /** Get one dead letter. */
  @Get(':dead_letter_id')
  @ApiNotFound('Dead letter')
  async getDeadLetter(
    @CurrentPrincipal() principal: Principal,
    @Param('dead_letter_id', ParseUUIDPipe) id: string,
  ): Promise<DeadLetterResponseDto> {
    return toDeadLetterResponse(await this.letters.get(scopeOf(principal), id));
  }

  /** Try a dead letter again: an `agent` letter re-runs the message, a `send` letter re-sends the reply. */
  @Post(':dead_letter_id/retry')
  @HttpCode(200)
  @ApiNotFound('Dead letter')
  @ApiConflict('The letter was already retried')
  @ApiBadGateway('The reply could not be delivered again')
  retryDeadLetter(
    @CurrentPrincipal() principal: Principal,
    @Param('dead_letter_id', ParseUUIDPipe) id: string,
  ): Promise<DeadLetterResponseDto> {
    return this.retries.retry(scopeOf(principal), id);
  }

  /** Drop a dead letter. */
  @Delete(':dead_letter_id')
  @HttpCode(204)
  @ApiNotFound('Dead letter')
  deleteDeadLetter(@CurrentPrincipal() principal: Principal, @Param('dead_letter_id', ParseUUIDPipe) id: string): Promise<void> {
    return this.letters.remove(scopeOf(principal), id);
  }
}
