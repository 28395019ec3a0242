import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiNotFound } from '../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../common/auth';
import { ApiListWithTotalCount, type HeaderSettable, TOTAL_COUNT_HEADER } from '../common/total-count';
import { UserQueryDto } from './dto/user-query.dto';
import { UserDetailResponseDto, UserResponseDto } from './dto/user-response.dto';
import { UsersQueryService } from './users-query.service';

@ApiTags('users')
@ApiAuthenticated()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersQueryService) {}

  /** List the people who wrote to the tenant's instances, most recently seen first; `search` by name, number or id. */
  @Get()
  @ApiListWithTotalCount(UserResponseDto, 'Users')
  async listUsers(
    @CurrentPrincipal() principal: Principal,
    @Query() query: UserQueryDto,
    @Res({ passthrough: true }) reply: HeaderSettable,
  ): Promise<UserResponseDto[]> {
    const page = await this.users.list(principal, query);
    reply.header(TOTAL_COUNT_HEADER, String(page.total));
    return page.users;
  }

  /** A person, with their ids on each channel and their latest 20 traces. */
  @Get(':user_id')
  @ApiNotFound('User')
  getUser(@CurrentPrincipal() principal: Principal, @Param('user_id', ParseUUIDPipe) id: string): Promise<UserDetailResponseDto> {
    return this.users.get(principal, id);
  }
}
