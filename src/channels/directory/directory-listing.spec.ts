import { filterChats, filterContacts, pageOf } from './directory-listing';
import type { ChatsQueryDto, ContactsQueryDto } from './dto/directory-query.dto';
import type { OmniChatDto } from './dto/omni-chat.dto';
import type { OmniContactDto } from './dto/omni-contact.dto';

const contact = (id: string, name: string, status: OmniContactDto['status'] = 'unknown') => ({ id, name, status }) as OmniContactDto;
const chat = (id: string, name: string, chat_type: OmniChatDto['chat_type'], is_archived = false) =>
  ({ id, name, chat_type, is_archived }) as OmniChatDto;

describe('pageOf', () => {
  const items = Array.from({ length: 7 }, (_, i) => i);

  it('cuts pages from 1 and says whether more follow', () => {
    expect(pageOf(items, 1, 3)).toEqual({ items: [0, 1, 2], total_count: 7, has_more: true });
    expect(pageOf(items, 3, 3)).toEqual({ items: [6], total_count: 7, has_more: false });
    expect(pageOf(items, 1, 7)).toEqual({ items, total_count: 7, has_more: false });
    expect(pageOf(items, 4, 3)).toEqual({ items: [], total_count: 7, has_more: false });
  });
});

describe('filterContacts', () => {
  const contacts = [
    contact('5511988880001@s.whatsapp.net', 'Ana Teste', 'online'),
    contact('5511988880002@s.whatsapp.net', 'Bruno'),
    contact('120363000000000001@g.us', 'Clientes VIP'),
  ];
  const query = (q: Partial<ContactsQueryDto>) => q as ContactsQueryDto;

  it('keeps everything without filters', () => {
    expect(filterContacts(contacts, query({}))).toEqual(contacts);
  });

  it('searches the name and the id, case-insensitively', () => {
    expect(filterContacts(contacts, query({ search_query: ' ana ' })).map((c) => c.name)).toEqual(['Ana Teste']);
    expect(filterContacts(contacts, query({ search_query: '80002' })).map((c) => c.name)).toEqual(['Bruno']);
  });

  it('filters by status', () => {
    expect(filterContacts(contacts, query({ status_filter: 'online' })).map((c) => c.name)).toEqual(['Ana Teste']);
  });
});

describe('filterChats', () => {
  const chats = [
    chat('5511988880001@s.whatsapp.net', 'Ana', 'direct'),
    chat('120363000000000001@g.us', 'Clientes VIP', 'group', true),
    chat('187654321098765@lid', 'Bruno', 'direct'),
  ];
  const query = (q: Partial<ChatsQueryDto>) => q as ChatsQueryDto;

  it('filters by type, archive state and text together', () => {
    expect(filterChats(chats, query({ chat_type_filter: 'direct' })).map((c) => c.name)).toEqual(['Ana', 'Bruno']);
    expect(filterChats(chats, query({ archived: true })).map((c) => c.name)).toEqual(['Clientes VIP']);
    expect(filterChats(chats, query({ archived: false, search_query: 'b' })).map((c) => c.name)).toEqual(['Bruno']);
  });
});
