// Filters and pages of the contacts and chats views. Filters apply before paging, so every page is
// full and `total_count` counts what matches (the original filtered each page after cutting it).
import type { ChatsQueryDto, ContactsQueryDto } from './dto/directory-query.dto';
import type { OmniChatDto } from './dto/omni-chat.dto';
import type { OmniContactDto } from './dto/omni-contact.dto';

export interface Page<T> {
  items: T[];
  total_count: number;
  has_more: boolean;
}

export function pageOf<T>(items: T[], page: number, pageSize: number): Page<T> {
  const start = (page - 1) * pageSize;
  const end = start + pageSize;
  return { items: items.slice(start, end), total_count: items.length, has_more: end < items.length };
}

export function filterContacts(contacts: OmniContactDto[], query: ContactsQueryDto): OmniContactDto[] {
  return contacts.filter(
    (contact) =>
      matchesSearch(contact, query.search_query) && (!query.status_filter || contact.status === query.status_filter),
  );
}

export function filterChats(chats: OmniChatDto[], query: ChatsQueryDto): OmniChatDto[] {
  return chats.filter(
    (chat) =>
      matchesSearch(chat, query.search_query) &&
      (!query.chat_type_filter || chat.chat_type === query.chat_type_filter) &&
      (query.archived === undefined || chat.is_archived === query.archived),
  );
}

/** Case-insensitive, in the name or the id (a WhatsApp id holds the phone number). */
function matchesSearch(entry: { id: string; name: string }, search?: string): boolean {
  if (!search) return true;
  const needle = search.trim().toLowerCase();
  return entry.name.toLowerCase().includes(needle) || entry.id.toLowerCase().includes(needle);
}
