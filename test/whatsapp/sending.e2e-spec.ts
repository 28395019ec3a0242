import { discordInstance } from '../support/instance-bodies';
import { fieldsOf, Problem, startWhatsAppHarness, WhatsAppHarness } from './whatsapp-harness';

const ANA = '+5511988880001';
const ANA_JID = '5511988880001@s.whatsapp.net';
const GROUP_JID = '120363000000000001@g.us';
const SENT_ID = /^3EB0[0-9A-F]{18}$/;

interface MessageAnswer {
  success: boolean;
  message_id: string | null;
  message_ids: string[];
  status: string;
  error: string | null;
}

describe('Sending API (/api/v1/instance/{name}/…)', () => {
  let h: WhatsAppHarness;
  const send = <T = MessageAnswer & Problem>(route: string, body: Record<string, unknown>, instance = 'sender') =>
    h.api<T>('POST', `/api/v1/instance/${instance}/${route}`, { body });
  const bodiesTo = (route: Parameters<WhatsAppHarness['evolution']['requestsTo']>[0]) => h.evolution.requestsTo(route).map((r) => r.body);

  beforeAll(async () => {
    h = await startWhatsAppHarness();
    await h.createInstance('sender');
    await h.createInstance('no-split', { enable_auto_split: false });
  });
  afterAll(() => h.close());
  beforeEach(() => h.evolution.clearRequests());

  describe('send-text', () => {
    it("sends to the phone number's JID and answers with Evolution's message id", async () => {
      const sent = await send('send-text', { phone_number: '+55 (11) 98888-0001', text: 'Olá!' });
      expect(sent.status).toBe(200);
      expect(sent.body).toEqual({
        success: true,
        message_id: expect.stringMatching(SENT_ID),
        message_ids: [sent.body.message_id],
        status: 'sent',
        error: null,
      });
      expect(bodiesTo('sendText')).toEqual([{ number: ANA_JID, text: 'Olá!' }]);
    });

    it('quotes, mentions and mentions everyone; explicit mentions win over the ones in the text', async () => {
      await send('send-text', {
        phone_number: GROUP_JID,
        text: 'Oi @5511988880003',
        quoted_message_id: 'A3F1C2D4E5B6978812345678ABCDEF01',
        mentioned: ['+55 11 98888-0002'],
        mentions_everyone: true,
      });
      await send('send-text', { phone_number: GROUP_JID, text: 'Oi @5511988880003 e @+5511988880004' });
      await send('send-text', { phone_number: GROUP_JID, text: 'Oi @5511988880003', auto_parse_mentions: false });
      expect(bodiesTo('sendText')).toEqual([
        {
          number: GROUP_JID,
          text: 'Oi @5511988880003',
          quoted: { key: { id: 'A3F1C2D4E5B6978812345678ABCDEF01' } },
          mentioned: ['5511988880002'],
          mentionsEveryOne: true,
        },
        { number: GROUP_JID, text: 'Oi @5511988880003 e @+5511988880004', mentioned: ['5511988880003', '5511988880004'] },
        { number: GROUP_JID, text: 'Oi @5511988880003' },
      ]);
    });

    it('splits on blank lines per split_message or the instance setting; only the first part quotes', async () => {
      const split = await send('send-text', { phone_number: ANA, text: 'Primeiro.\n\nSegundo.', quoted_message_id: 'Q1' });
      expect(split.body.message_ids).toHaveLength(2);
      expect(split.body.message_id).toBe(split.body.message_ids[0]);
      expect(bodiesTo('sendText')).toEqual([
        { number: ANA_JID, text: 'Primeiro.', quoted: { key: { id: 'Q1' } } },
        { number: ANA_JID, text: 'Segundo.' },
      ]);
      h.evolution.clearRequests();
      await send('send-text', { phone_number: ANA, text: 'Um.\n\nDois.' }, 'no-split');
      await send('send-text', { phone_number: ANA, text: 'Um.\n\nDois.', split_message: false });
      await send('send-text', { phone_number: ANA, text: 'Tres.\n\nQuatro.', split_message: true }, 'no-split');
      expect(bodiesTo('sendText').map((b) => (b as { text: string }).text)).toEqual(['Um.\n\nDois.', 'Um.\n\nDois.', 'Tres.', 'Quatro.']);
    });

    it('mentions in every part the numbers written in it', async () => {
      await send('send-text', { phone_number: GROUP_JID, text: 'Oi @5511988880003\n\nE você, @5511988880004?', split_message: true });
      expect(bodiesTo('sendText')).toEqual([
        { number: GROUP_JID, text: 'Oi @5511988880003', mentioned: ['5511988880003'] },
        { number: GROUP_JID, text: 'E você, @5511988880004?', mentioned: ['5511988880004'] },
      ]);
    });

    it('accepts a LID and a group JID as they are', async () => {
      await send('send-text', { phone_number: '187654321098765@lid', text: 'a' });
      await send('send-text', { phone_number: GROUP_JID, text: 'b' });
      expect(bodiesTo('sendText').map((b) => (b as { number: string }).number)).toEqual(['187654321098765@lid', GROUP_JID]);
    });
  });

  it('sends media, voice notes, stickers and contact cards with the bodies Evolution expects', async () => {
    const media = await send('send-media', {
      phone_number: ANA,
      media_type: 'document',
      mime_type: 'application/pdf',
      media_url: 'https://files.example.com/menu.pdf',
      caption: 'Cardápio',
      filename: 'menu.pdf',
    });
    await send('send-media', { phone_number: ANA, media_type: 'image', mime_type: 'image/png', media_base64: 'iVBORw0KGgo=' });
    const audio = await send('send-audio', { phone_number: ANA, audio_url: 'https://files.example.com/oi.ogg' });
    const sticker = await send('send-sticker', { phone_number: ANA, sticker_base64: 'UklGRg==' });
    const contact = await send('send-contact', {
      phone_number: ANA,
      contacts: [
        {
          full_name: 'Loja Centro',
          phone_number: '+55 11 3333-4444',
          email: 'centro@example.com',
          organization: 'Loja',
          url: 'https://loja.example.com',
        },
      ],
    });
    for (const answer of [media, audio, sticker, contact]) {
      expect(answer.status).toBe(200);
      expect(answer.body.message_id).toMatch(SENT_ID);
    }
    expect(bodiesTo('sendMedia')).toEqual([
      {
        number: ANA_JID,
        mediatype: 'document',
        mimetype: 'application/pdf',
        media: 'https://files.example.com/menu.pdf',
        caption: 'Cardápio',
        fileName: 'menu.pdf',
      },
      { number: ANA_JID, mediatype: 'image', mimetype: 'image/png', media: 'iVBORw0KGgo=' },
    ]);
    expect(bodiesTo('sendWhatsAppAudio')).toEqual([{ number: ANA_JID, audio: 'https://files.example.com/oi.ogg' }]);
    expect(bodiesTo('sendSticker')).toEqual([{ number: ANA_JID, sticker: 'UklGRg==' }]);
    expect(bodiesTo('sendContact')).toEqual([
      {
        number: ANA_JID,
        contact: [
          {
            fullName: 'Loja Centro',
            phoneNumber: '551133334444',
            email: 'centro@example.com',
            organization: 'Loja',
            url: 'https://loja.example.com',
          },
        ],
      },
    ]);
  });

  it("reacts to a person's message (the original's always-false endpoint), and removes a reaction", async () => {
    const reacted = await send('send-reaction', { phone_number: ANA, message_id: 'A3F1C2D4E5B6978812345678ABCDEF01', reaction: '👍' });
    expect(reacted.status).toBe(200);
    expect(reacted.body).toMatchObject({ success: true, status: 'sent', message_id: expect.stringMatching(SENT_ID) });
    await send('send-reaction', { phone_number: ANA, message_id: 'A3F1C2D4E5B6978812345678ABCDEF01', reaction: '' });
    expect(bodiesTo('sendReaction')).toEqual([
      { key: { remoteJid: ANA_JID, fromMe: false, id: 'A3F1C2D4E5B6978812345678ABCDEF01' }, reaction: '👍' },
      { key: { remoteJid: ANA_JID, fromMe: false, id: 'A3F1C2D4E5B6978812345678ABCDEF01' }, reaction: '' },
    ]);
  });

  it("fetches a person's profile and changes the instance's picture", async () => {
    const profile = await send<{ success: boolean; profile: Record<string, unknown> }>('fetch-profile', { phone_number: ANA });
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({ success: true, profile: expect.objectContaining({ wuid: ANA_JID, name: 'Ana Teste' }) });
    expect(bodiesTo('fetchProfile')).toEqual([{ number: ANA_JID }]);

    const picture = await send('update-profile-picture', { picture_url: 'https://files.example.com/logo.png' });
    expect(picture.body).toEqual({ success: true, message_id: null, message_ids: [], status: 'updated', error: null });
    expect(bodiesTo('updateProfilePicture')).toEqual([{ picture: 'https://files.example.com/logo.png' }]);
  });

  it('retries a rate-limited send and delivers it once (two attempts)', async () => {
    h.evolution.failNext('sendText', [{ status: 429, headers: { 'retry-after': '0' } }]);
    const sent = await send('send-text', { phone_number: ANA, text: 'Depois do limite' });
    expect(sent.status).toBe(200);
    expect(sent.body.message_ids).toHaveLength(1);
    expect(h.evolution.requestsTo('sendText')).toHaveLength(2);
  });

  it("answers 422 with Evolution's reason when it refuses: not on WhatsApp, session closed", async () => {
    h.evolution.notOnWhatsApp('5511977770000');
    const missing = await send('send-text', { phone_number: '+5511977770000', text: 'Oi' });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toContain('number 5511977770000 is not on WhatsApp');
    expect(h.evolution.requestsTo('sendText')).toHaveLength(1);
    const profile = await send('fetch-profile', { phone_number: '+5511977770000' });
    expect(profile.status).toBe(422);

    await h.createInstance('closed-bot');
    h.evolution.disconnect('closed-bot');
    const image = { phone_number: ANA, media_type: 'image', mime_type: 'image/png', media_base64: 'iVBORw0KGgo=' };
    const closed = await send('send-media', image, 'closed-bot');
    expect(closed.status).toBe(422);
    expect(closed.body.detail).toContain('Connection Closed');
  });

  it('answers 502 when Evolution keeps failing or cannot be reached', async () => {
    h.evolution.failNext('sendSticker', Array.from({ length: 4 }, () => ({ status: 0, dropConnection: true })));
    const down = await send('send-sticker', { phone_number: ANA, sticker_url: 'https://files.example.com/s.webp' });
    expect(down.status).toBe(502);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(h.evolution.requestsTo('sendSticker')).toHaveLength(4);
  }, 20_000);

  it('answers 400 naming each invalid field', async () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['send-text', { text: 'no recipient' }, ['phone_number']],
      ['send-text', { phone_number: 'abc', text: 'x' }, ['phone_number']],
      ['send-text', { phone_number: '1234567', text: 'x' }, ['phone_number']],
      ['send-text', { phone_number: '5511988880001@example.com', text: 'x' }, ['phone_number']],
      ['send-text', { phone_number: ANA }, ['text']],
      ['send-text', { phone_number: ANA, text: ' \n\n ' }, ['text']],
      ['send-text', { phone_number: ANA, text: 'x', mentioned: ['not-a-phone'] }, ['mentioned']],
      ['send-media', { phone_number: ANA, media_type: 'gif', mime_type: 'image/gif', media_url: 'https://x.example.com/a' }, ['media_type']],
      ['send-media', { phone_number: ANA, media_type: 'image', mime_type: 'image/png' }, ['media_url']],
      ['send-media', { phone_number: ANA, media_type: 'image', mime_type: 'image/png', media_base64: 'not base64!' }, ['media_base64']],
      ['send-audio', { phone_number: ANA }, ['audio_url']],
      ['send-sticker', { phone_number: ANA, sticker_url: 'ftp://x' }, ['sticker_url']],
      ['send-contact', { phone_number: ANA, contacts: [] }, ['contacts']],
      ['send-contact', { phone_number: ANA, contacts: [{ phone_number: '+5511988880001' }] }, ['contacts.0.full_name']],
      ['send-reaction', { phone_number: ANA, reaction: '👍' }, ['message_id']],
      ['update-profile-picture', { picture_url: 'not a url' }, ['picture_url']],
      ['send-text', { phone_number: ANA, text: 'x', colour: 'blue' }, ['colour']],
    ];
    for (const [route, body, fields] of cases) {
      const answer = await send(route, body);
      expect({ route, body, status: answer.status, fields: fieldsOf(answer.body) }).toEqual({ route, body, status: 400, fields });
    }
    expect(h.evolution.requests).toHaveLength(0);
  });

  it('answers 422 for a user_id recipient (not supported yet) and for a Discord instance, 404 for an unknown one', async () => {
    const byUser = await send('send-text', { user_id: '3f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6b', text: 'Oi' });
    expect(byUser.status).toBe(422);
    expect(byUser.body.detail).toContain('user_id');

    await h.api('POST', '/api/v1/instances', { body: discordInstance({ name: 'discord-sender' }) });
    const discord = await send('send-text', { phone_number: ANA, text: 'Oi' }, 'discord-sender');
    expect(discord.status).toBe(422);
    expect(discord.body.detail).toContain('not supported for discord instances yet');

    expect((await send('send-text', { phone_number: ANA, text: 'Oi' }, 'nobody')).status).toBe(404);
    expect(h.evolution.requests).toHaveLength(0);
  });
});
