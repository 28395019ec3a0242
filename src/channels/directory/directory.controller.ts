import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiBadGateway, ApiNotFound, ApiUnprocessable } from '../../common/api-error-responses';
import { CurrentPrincipal, type Principal } from '../../common/auth';
import { InstanceScopeQueryDto } from '../instance-scope-query.dto';
import { DirectoryService } from './directory.service';
import { ChatsQueryDto, ContactsQueryDto } from './dto/directory-query.dto';
import { OmniChatDto, OmniChatsResponseDto } from './dto/omni-chat.dto';
import { OmniContactDto, OmniContactsResponseDto } from './dto/omni-contact.dto';

@ApiTags('channels')
@ApiAuthenticated()
@ApiUnprocessable('The channel does not offer contacts and chats yet, or its server refused')
@ApiBadGateway('The channel server (Evolution) did not answer or failed')
@Controller('instances')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  /** Contacts of an instance, filtered then paged. */
  @Get(':instance_name/contacts')
  @ApiNotFound('Instance')
  listInstanceContacts(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: ContactsQueryDto,
  ): Promise<OmniContactsResponseDto> {
    return this.directory.contacts(principal, name, query);
  }

  /** One contact of an instance, by its id (WhatsApp: the JID, or the phone number). */
  @Get(':instance_name/contacts/:contact_id')
  @ApiNotFound('Instance or contact')
  getInstanceContact(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Param('contact_id') contactId: string,
    @Query() query: InstanceScopeQueryDto,
  ): Promise<OmniContactDto> {
    return this.directory.contact(principal, name, contactId, query.tenant_id);
  }

  /** Chats of an instance, filtered then paged. */
  @Get(':instance_name/chats')
  @ApiNotFound('Instance')
  listInstanceChats(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Query() query: ChatsQueryDto,
  ): Promise<OmniChatsResponseDto> {
    return this.directory.chats(principal, name, query);
  }

  /** One chat of an instance, by its id (WhatsApp: the chat JID, or the phone number). */
  @Get(':instance_name/chats/:chat_id')
  @ApiNotFound('Instance or chat')
  getInstanceChat(
    @CurrentPrincipal() principal: Principal,
    @Param('instance_name') name: string,
    @Param('chat_id') chatId: string,
    @Query() query: InstanceScopeQueryDto,
  ): Promise<OmniChatDto> {
    return this.directory.chat(principal, name, chatId, query.tenant_id);
  }
}
