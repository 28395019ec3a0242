import { discordInstance } from '../support/instance-bodies';
import { Problem, startWhatsAppHarness, WhatsAppHarness } from './whatsapp-harness';

interface Listing {
  total_count: number;
  page: number;
  page_size: number;
  has_more: boolean;
  partial_errors: { error_code: string }[];
}
type Contacts = Listing & { contacts: { id: string; name: string }[] };
type Chats = Listing & { chats: { id: string; name: string; chat_type: string }[] };

/** 120 contacts: every tenth is a Maria, every fifteenth a group. */
const manyContacts = Array.from({ length: 120 }, (_, i) => {
  const isGroup = i % 15 === 0;
  const remoteJid = isGroup ? `1203630000000${String(i).padStart(5, '0')}@g.us` : `55119${String(i).padStart(8, '0')}@s.whatsapp.net`;
  return { id: `c${i}`, remoteJid, pushName: i % 10 === 3 ? `Maria ${i}` : `Pessoa ${i}`, profilePicUrl: null, isGroup };
});

const chatOf = (remoteJid: string, pushName: string) => ({
  id: remoteJid,
  remoteJid,
  pushName,
  profilePicUrl: null,
  updatedAt: '2025-11-23T12:00:00.000Z',
});
const mixedChats = [
  chatOf('5511988880001@s.whatsapp.net', 'Ana'),
  chatOf('187654321098765@lid', 'Bruno'),
  chatOf('120363000000000001@g.us', 'Clientes VIP'),
  chatOf('status@broadcast', 'Status'),
  chatOf('120363111111111111@newsletter', 'Novidades'),
  chatOf('5511988880002@s.whatsapp.net', 'Carla'),
];

describe('Unified contacts and chats (/api/v1/instances/{name}/contacts|chats)', () => {
  let h: WhatsAppHarness;
  const get = <T>(path: string) => h.api<T & Problem>('GET', `/api/v1/instances/book-bot/${path}`);
  const serveContacts = (rows: unknown[]) => h.evolution.failNext('findContacts', [{ status: 200, body: rows }]);
  const serveChats = (rows: unknown[]) => h.evolution.failNext('findChats', [{ status: 200, body: rows }]);

  beforeAll(async () => {
    h = await startWhatsAppHarness();
    await h.createInstance('book-bot');
  });
  afterAll(() => h.close());
  beforeEach(() => h.evolution.clearRequests());

  it("maps Evolution's contacts to the original's OmniContact", async () => {
    const listed = await get<Contacts>('contacts');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      total_count: 2,
      page: 1,
      page_size: 50,
      has_more: false,
      instance_name: 'book-bot',
      channel_type: 'whatsapp',
      partial_errors: [],
    });
    expect(listed.body.contacts[0]).toEqual({
      id: '5511988880001@s.whatsapp.net',
      name: 'Ana Teste',
      channel_type: 'whatsapp',
      instance_name: 'book-bot',
      avatar_url: null,
      status: 'unknown',
      is_verified: null,
      is_business: null,
      channel_data: expect.objectContaining({ phone_number: '5511988880001', is_contact: true, is_group: false, push_name: 'Ana Teste' }),
      created_at: '2025-11-20T14:05:31.201Z',
      last_seen: null,
    });
    expect(h.evolution.requestsTo('findContacts')[0].body).toEqual({});
  });

  it('pages contacts with page and page_size', async () => {
    serveContacts(manyContacts);
    const first = await get<Contacts>('contacts');
    expect(first.body).toMatchObject({ total_count: 120, page: 1, page_size: 50, has_more: true });
    expect(first.body.contacts.map((c) => c.id)).toEqual(manyContacts.slice(0, 50).map((c) => c.remoteJid));
    serveContacts(manyContacts);
    const last = await get<Contacts>('contacts?page=3&page_size=50');
    expect(last.body).toMatchObject({ total_count: 120, page: 3, has_more: false });
    expect(last.body.contacts).toHaveLength(20);
    serveContacts(manyContacts);
    expect((await get<Contacts>('contacts?page=9')).body).toMatchObject({ contacts: [], total_count: 120, has_more: false });
  });

  it('searches every contact before paging, so pages are full and total_count counts the matches', async () => {
    serveContacts(manyContacts);
    const marias = await get<Contacts>('contacts?search_query=MARIA&page_size=5');
    expect(marias.body).toMatchObject({ total_count: 12, page_size: 5, has_more: true });
    expect(marias.body.contacts.map((c) => c.name)).toEqual(['Maria 3', 'Maria 13', 'Maria 23', 'Maria 33', 'Maria 43']);
    serveContacts(manyContacts);
    const byPhone = await get<Contacts>('contacts?search_query=551190000007');
    // 75 is a group: its JID holds no phone number.
    expect(byPhone.body.contacts.map((c) => c.name)).toEqual([
      'Pessoa 70', 'Pessoa 71', 'Pessoa 72', 'Maria 73', 'Pessoa 74', 'Pessoa 76', 'Pessoa 77', 'Pessoa 78', 'Pessoa 79',
    ]);
    // Evolution's store has no presence: every WhatsApp contact is `unknown`.
    const online = await get<Contacts>('contacts?status_filter=online');
    expect(online.body).toMatchObject({ contacts: [], total_count: 0 });
  });

  it('filters chats by type before paging: direct is people (@s.whatsapp.net and @lid)', async () => {
    const byType = async (type: string) => {
      serveChats(mixedChats);
      return (await get<Chats>(`chats?chat_type_filter=${type}`)).body;
    };
    expect((await byType('direct')).chats.map((c) => c.name)).toEqual(['Ana', 'Bruno', 'Carla']);
    expect((await byType('group')).chats.map((c) => c.name)).toEqual(['Clientes VIP']);
    expect((await byType('channel')).chats.map((c) => c.name)).toEqual(['Status', 'Novidades']);
    serveChats(mixedChats);
    const page = await get<Chats>('chats?chat_type_filter=direct&page=2&page_size=2');
    expect(page.body).toMatchObject({ total_count: 3, has_more: false, chats: [{ name: 'Carla' }] });
    serveChats(mixedChats);
    expect((await get<Chats>('chats?search_query=vip')).body.chats.map((c) => c.chat_type)).toEqual(['group']);
    serveChats(mixedChats);
    expect((await get<Chats>('chats?archived=true')).body.total_count).toBe(0);
  });

  it('gets one contact or chat by JID or phone number, 404 when Evolution has none', async () => {
    const contact = await get<{ id: string; name: string }>('contacts/5511988880001@s.whatsapp.net');
    expect(contact.body).toMatchObject({ id: '5511988880001@s.whatsapp.net', name: 'Ana Teste' });
    expect(h.evolution.requestsTo('findContacts')[0].body).toEqual({ where: { remoteJid: '5511988880001@s.whatsapp.net' } });
    expect((await get<{ id: string }>('contacts/5511988880001')).body.id).toBe('5511988880001@s.whatsapp.net');

    const chat = await get<Record<string, unknown>>('chats/5511988880001@s.whatsapp.net');
    expect(chat.body).toMatchObject({
      id: '5511988880001@s.whatsapp.net',
      name: 'Ana Teste',
      chat_type: 'direct',
      unread_count: 1,
      last_message_at: new Date(1763900000 * 1000).toISOString(),
    });
    const missing = await get('contacts/5511900009999');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('not found');
    expect((await get('chats/120363999999999999@g.us')).status).toBe(404);
  });

  it('answers an empty page with a partial error for another channel_type, and 400 for bad paging', async () => {
    const mismatch = await get<Contacts>('contacts?channel_type=discord');
    expect(mismatch.body).toMatchObject({ contacts: [], total_count: 0, partial_errors: [{ error_code: 'channel_type_mismatch' }] });
    expect(h.evolution.requestsTo('findContacts')).toHaveLength(0);
    for (const query of ['page=0', 'page_size=0', 'page_size=501', 'page=x', 'chat_type_filter=forum', 'channel_type=telegram']) {
      expect({ query, status: (await get(`chats?${query}`)).status }).toEqual({ query, status: 400 });
    }
  });

  it('answers 502 when Evolution cannot be reached, 422 for a Discord instance', async () => {
    h.evolution.failNext('findChats', [{ status: 0, dropConnection: true }, { status: 0, dropConnection: true }]);
    expect((await get('chats')).status).toBe(502);
    await h.api('POST', '/api/v1/instances', { body: discordInstance({ name: 'discord-book' }) });
    const discord = await h.api<Problem>('GET', '/api/v1/instances/discord-book/contacts');
    expect(discord.status).toBe(422);
    expect(discord.body.detail).toContain('not supported for discord instances yet');
  });
});
