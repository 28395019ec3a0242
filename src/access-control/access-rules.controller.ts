import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAdminOnly, ApiAuthenticated, ApiConflict, ApiNotFound } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../common/auth';
import { AccessRulesService } from './access-rules.service';
import { AccessRuleResponseDto } from './dto/access-rule-response.dto';
import { AccessRuleQueryDto, CreateAccessRuleDto, UpdateAccessRuleDto } from './dto/access-rule.dto';

@ApiTags('access')
@ApiAuthenticated()
@Controller('access/rules')
export class AccessRulesController {
  constructor(private readonly rules: AccessRulesService) {}

  /** List access rules, newest first (a tenant key also sees the admin's rules for every tenant). */
  @Get()
  @ApiNotFound('Instance')
  listAccessRules(@CurrentPrincipal() principal: Principal, @Query() query: AccessRuleQueryDto): Promise<AccessRuleResponseDto[]> {
    return this.rules.list(principal, query);
  }

  /** Allow or block a sender, or a prefix of numbers, on one instance or on all of them. Applies at once. */
  @Post()
  @ApiNotFound('Instance or tenant')
  @ApiConflict('The same rule exists in that scope')
  createAccessRule(@CurrentPrincipal() principal: Principal, @Body() dto: CreateAccessRuleDto): Promise<AccessRuleResponseDto> {
    return this.rules.create(principal, dto);
  }

  /** Change a rule's pattern, type or instance. */
  @Put(':rule_id')
  @ApiNotFound('Access rule or instance')
  @ApiConflict('The same rule exists in that scope')
  @ApiAdminOnly()
  updateAccessRule(
    @CurrentPrincipal() principal: Principal,
    @Param('rule_id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAccessRuleDto,
  ): Promise<AccessRuleResponseDto> {
    return this.rules.update(principal, id, dto);
  }

  /** Delete a rule. */
  @Delete(':rule_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNotFound('Access rule')
  @ApiAdminOnly()
  deleteAccessRule(@CurrentPrincipal() principal: Principal, @Param('rule_id', ParseUUIDPipe) id: string): Promise<void> {
    return this.rules.remove(principal, id);
  }
}
