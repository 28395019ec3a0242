import type { InboundMessage } from '../channel';
import { EvolutionEventFixture, evolutionEnvelope, loadEvolutionFixture } from '../../../test/fakes/evolution-events';
import { EvolutionEvent, eventNameFromSuffix, parseEvolutionEvent, toNumber } from './evolution-event.parser';

const INSTANCE = 'omni-test';

function parseFixture(name: EvolutionEventFixture): EvolutionEvent {
  return parseEvolutionEvent(loadEvolutionFixture(name), INSTANCE);
}

function messageOf(event: EvolutionEvent): InboundMessage {
  if (event.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(event)}`);
  return event.message;
}

function parseMessageFixture(name: EvolutionEventFixture): InboundMessage {
  return messageOf(parseFixture(name));
}

type JsonObject = Record<string, unknown>;

function upsertWithMessage(message: JsonObject, messageType: string, extra: JsonObject = {}): JsonObject {
  const body = loadEvolutionFixture<JsonObject & { data: JsonObject }>('messages.upsert.text');
  body.data = { ...body.data, message, messageType, ...extra };
  return body;
}

const ANA = {
  id: '5511988880001',
  phone: '5511988880001',
  jid: '5511988880001@s.whatsapp.net',
  lid: '187654321098765@lid',
  displayName: 'Ana Teste',
};

describe('parseEvolutionEvent: messages.upsert fixtures', () => {
  it('reads a phone-addressed DM text', () => {
    const event = parseFixture('messages.upsert.text');
    expect(event).toMatchObject({ kind: 'message', fromMe: false });
    const message = messageOf(event);
    expect(message).toEqual({
      channel: 'whatsapp',
      instanceName: INSTANCE,
      externalMessageId: 'A3F1C2D4E5B6978812345678ABCDEF01',
      chatId: '5511988880001@s.whatsapp.net',
      isGroup: false,
      sender: ANA,
      messageType: 'text',
      text: 'Oi! Vocês abrem no sábado?',
      media: undefined,
      quoted: undefined,
      mentions: [],
      reaction: undefined,
      timestamp: new Date(1763900000 * 1000),
      raw: loadEvolutionFixture('messages.upsert.text'),
    });
  });

  it('keeps a LID-addressed DM on the LID chat but keys the sender by phone', () => {
    const message = parseMessageFixture('messages.upsert.text.lid');
    expect(message.chatId).toBe('187654321098765@lid');
    expect(message.sender).toEqual(ANA);
    expect(message.externalMessageId).toBe('3A9C1E5B7D2F4A6C8E0B');
    expect(message.text).toBe('Preciso remarcar a entrega de amanhã');
  });

  it('reads a 2.2+ reply from the top-level contextInfo', () => {
    const message = parseMessageFixture('messages.upsert.quoted');
    expect(message.messageType).toBe('text');
    expect(message.text).toBe('Pode ser às 15h então');
    expect(message.quoted).toEqual({
      messageId: '3EB0A1B2C3D4E5F6071829',
      participant: '5511900000001@s.whatsapp.net',
      text: 'Podemos entregar amanhã às 10h ou às 15h. Qual prefere?',
    });
  });

  it('reads the legacy extendedTextMessage reply with its nested contextInfo', () => {
    const body = loadEvolutionFixture<JsonObject & { data: JsonObject }>('messages.upsert.extendedText.legacy');
    delete body.data.contextInfo;
    const message = messageOf(parseEvolutionEvent(body, INSTANCE));
    expect(message.messageType).toBe('text');
    expect(message.text).toBe('Pode ser às 15h então');
    expect(message.quoted).toEqual({
      messageId: '3EB0A1B2C3D4E5F6071829',
      participant: '5511900000001@s.whatsapp.net',
      text: 'Podemos entregar amanhã às 10h ou às 15h. Qual prefere?',
    });
  });

  it('reads the legacy fixture as it is (both contextInfo copies)', () => {
    const message = parseMessageFixture('messages.upsert.extendedText.legacy');
    expect(message.quoted?.messageId).toBe('3EB0A1B2C3D4E5F6071829');
    // No remoteJidAlt in ≤2.1 payloads: the phone comes from remoteJid itself, no LID.
    expect(message.sender).toEqual({ ...ANA, lid: undefined });
  });

  it('reads an image with caption and base64 (2.2.x string encodings)', () => {
    const fixture = loadEvolutionFixture<{ data: { message: { base64: string } } }>('messages.upsert.image');
    const message = parseMessageFixture('messages.upsert.image');
    expect(message.messageType).toBe('image');
    expect(message.text).toBe('Segue a foto do comprovante');
    expect(message.media).toEqual({
      kind: 'image',
      mimeType: 'image/jpeg',
      fileName: undefined,
      base64: fixture.data.message.base64,
      url: undefined,
      isVoiceNote: undefined,
      seconds: undefined,
    });
  });

  it('reads a voice note (2.3.6 Long and byte-object encodings)', () => {
    const message = parseMessageFixture('messages.upsert.audio');
    expect(message.messageType).toBe('audio');
    expect(message.text).toBe('');
    expect(message.media).toMatchObject({ kind: 'audio', mimeType: 'audio/ogg; codecs=opus', isVoiceNote: true, seconds: 1 });
    expect(Buffer.from(message.media?.base64 ?? '', 'base64').subarray(0, 4).toString()).toBe('OggS');
  });

  it('reads a video without base64 (webhook base64 off)', () => {
    const message = parseMessageFixture('messages.upsert.video');
    expect(message.messageType).toBe('video');
    expect(message.text).toBe('Olha como chegou a caixa');
    expect(message.media).toMatchObject({ kind: 'video', mimeType: 'video/mp4', seconds: 12, base64: undefined, url: undefined });
  });

  it('reads a document with caption and file name', () => {
    const message = parseMessageFixture('messages.upsert.document');
    expect(message.messageType).toBe('document');
    expect(message.text).toBe('Orçamento atualizado');
    expect(message.media).toMatchObject({ kind: 'document', mimeType: 'application/pdf', fileName: 'orcamento-novembro.pdf' });
    expect(Buffer.from(message.media?.base64 ?? '', 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('reads a reaction with its emoji and target message', () => {
    const message = parseMessageFixture('messages.upsert.reaction');
    expect(message.messageType).toBe('reaction');
    expect(message.reaction).toEqual({ emoji: '👍', targetMessageId: '3EB0A1B2C3D4E5F6071829' });
    expect(message.text).toBe('👍');
    expect(message.timestamp).toEqual(new Date(1763900420 * 1000));
  });

  it('reads a group message: the group is the chat, the participant the sender', () => {
    const message = parseMessageFixture('messages.upsert.group');
    expect(message.chatId).toBe('120363000000000001@g.us');
    expect(message.isGroup).toBe(true);
    expect(message.sender).toEqual(ANA);
    expect(message.mentions).toEqual(['5511900000001@s.whatsapp.net']);
  });

  it('reads a LID-addressed group: phone from participantAlt, LID mentions kept', () => {
    const message = parseMessageFixture('messages.upsert.group.lid');
    expect(message.chatId).toBe('120363000000000001@g.us');
    expect(message.sender).toEqual(ANA);
    expect(message.mentions).toEqual(['210987654321098@lid']);
    expect(message.text).toBe('@210987654321098 e para Sorocaba?');
  });

  it('returns messages typed on the owner phone with fromMe, authored by the owner', () => {
    const event = parseFixture('messages.upsert.fromMe');
    expect(event).toMatchObject({ kind: 'message', fromMe: true });
    const message = messageOf(event);
    expect(message.chatId).toBe('5511988880001@s.whatsapp.net');
    expect(message.sender).toEqual({
      id: '5511900000001',
      phone: '5511900000001',
      jid: '5511900000001@s.whatsapp.net',
      lid: undefined,
      displayName: 'Loja Exemplo',
    });
  });

  it('ignores status broadcasts', () => {
    expect(parseFixture('messages.upsert.status-broadcast')).toEqual({ kind: 'ignored', reason: 'status broadcast' });
  });
});

describe('parseEvolutionEvent: other fixtures', () => {
  it('reads send.message as the echo of our own send', () => {
    expect(parseFixture('send.message')).toEqual({
      kind: 'sent',
      externalMessageId: '3EB0A1B2C3D4E5F6071829',
      chatId: '5511988880001@s.whatsapp.net',
    });
  });

  it('reads connection.update open with the owner profile', () => {
    expect(parseFixture('connection.update')).toEqual({
      kind: 'connection',
      state: 'open',
      statusReason: 200,
      ownerJid: '5511900000001@s.whatsapp.net',
      profileName: 'Loja Exemplo',
      profilePictureUrl: expect.stringMatching(/^https:\/\/pps\.whatsapp\.net\//),
    });
  });

  it('reads connection.update close (logged out)', () => {
    expect(parseFixture('connection.update.close')).toEqual({
      kind: 'connection',
      state: 'close',
      statusReason: 401,
      ownerJid: undefined,
      profileName: undefined,
      profilePictureUrl: undefined,
    });
  });

  it('reads qrcode.updated', () => {
    expect(parseFixture('qrcode.updated')).toEqual({
      kind: 'qrcode',
      qrBase64: expect.stringMatching(/^data:image\/png;base64,/),
      pairingCode: undefined,
      code: expect.stringMatching(/^2@/),
    });
  });

  it('reports the QR limit', () => {
    const body = { event: 'qrcode.updated', data: { message: 'QR code limit reached, please login again', statusCode: 500 } };
    expect(parseEvolutionEvent(body, INSTANCE)).toEqual({ kind: 'qrcode', error: 'QR code limit reached, please login again' });
  });

  it('ignores messages.update receipts', () => {
    expect(parseFixture('messages.update')).toEqual({ kind: 'ignored', reason: 'event messages.update is not handled' });
  });

  it('ignores contacts events even with array data', () => {
    expect(parseEvolutionEvent({ event: 'contacts.upsert', data: [{ remoteJid: 'x' }] }, INSTANCE).kind).toBe('ignored');
  });

  it('accepts the upper-case configuration event names', () => {
    const body = { ...loadEvolutionFixture<JsonObject>('send.message'), event: 'SEND_MESSAGE' };
    expect(parseEvolutionEvent(body, INSTANCE).kind).toBe('sent');
  });
});

describe('parseEvolutionEvent: malformed bodies', () => {
  it.each([
    ['null', null],
    ['an array', [{ event: 'messages.upsert' }]],
    ['a string', 'messages.upsert'],
    ['a number', 42],
  ])('rejects %s', (_label, body) => {
    expect(parseEvolutionEvent(body, INSTANCE)).toEqual({ kind: 'invalid', reason: 'body is not a JSON object' });
  });

  it('rejects a body without an event name', () => {
    expect(parseEvolutionEvent({ data: {} }, INSTANCE)).toEqual({ kind: 'invalid', reason: 'no event name' });
  });

  it('rejects missing data', () => {
    expect(parseEvolutionEvent({ event: 'messages.upsert' }, INSTANCE)).toEqual({
      kind: 'invalid',
      reason: 'messages.upsert without data',
    });
  });

  it('rejects data that is not an object', () => {
    expect(parseEvolutionEvent({ event: 'messages.upsert', data: 'x' }, INSTANCE).kind).toBe('invalid');
    expect(parseEvolutionEvent({ event: 'messages.upsert', data: [] }, INSTANCE).kind).toBe('invalid');
  });

  it('rejects an upsert without key, key.id or key.remoteJid', () => {
    const reason = 'messages.upsert without key.id/key.remoteJid';
    const upsert = (data: JsonObject) => parseEvolutionEvent({ event: 'messages.upsert', data }, INSTANCE);
    expect(upsert({ message: { conversation: 'hi' } })).toEqual({ kind: 'invalid', reason });
    expect(upsert({ key: { remoteJid: '1@s.whatsapp.net' }, message: { conversation: 'hi' } })).toEqual({ kind: 'invalid', reason });
    expect(upsert({ key: { id: 'X' }, message: { conversation: 'hi' } })).toEqual({ kind: 'invalid', reason });
  });

  it('rejects send.message without a key and connection.update without a state', () => {
    expect(parseEvolutionEvent({ event: 'send.message', data: {} }, INSTANCE).kind).toBe('invalid');
    expect(parseEvolutionEvent({ event: 'connection.update', data: {} }, INSTANCE).kind).toBe('invalid');
  });
});

describe('parseEvolutionEvent: content rules', () => {
  it('ignores upserts without a message', () => {
    const body = loadEvolutionFixture<JsonObject & { data: JsonObject }>('messages.upsert.text');
    delete body.data.message;
    expect(parseEvolutionEvent(body, INSTANCE)).toEqual({ kind: 'ignored', reason: 'no message content' });
  });

  it.each(['protocolMessage', 'senderKeyDistributionMessage'])('ignores %s', (type) => {
    const body = upsertWithMessage({ [type]: { type: 0 } }, type);
    expect(parseEvolutionEvent(body, INSTANCE)).toEqual({ kind: 'ignored', reason: `${type} message` });
  });

  it('reads a group text that also carries a senderKeyDistributionMessage', () => {
    const body = upsertWithMessage({ senderKeyDistributionMessage: { groupId: 'g' }, conversation: 'olá' }, 'conversation');
    expect(messageOf(parseEvolutionEvent(body, INSTANCE)).text).toBe('olá');
  });

  it('renders a location', () => {
    const body = upsertWithMessage(
      { locationMessage: { degreesLatitude: -23.5505, degreesLongitude: -46.6333, name: 'Loja Centro', address: 'Rua X, 10' } },
      'locationMessage',
    );
    const message = messageOf(parseEvolutionEvent(body, INSTANCE));
    expect(message.messageType).toBe('location');
    expect(message.text).toBe('📍 -23.5505,-46.6333 Loja Centro Rua X, 10');
  });

  it('renders a contact and a contacts array', () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Bruno Lima\nTEL;type=CELL;waid=5511977770003:+55 11 97777-0003\nEND:VCARD';
    const single = upsertWithMessage({ contactMessage: { displayName: 'Bruno Lima', vcard } }, 'contactMessage');
    expect(messageOf(parseEvolutionEvent(single, INSTANCE))).toMatchObject({ messageType: 'contact', text: '👤 Bruno Lima 5511977770003' });
    const noWaid = 'BEGIN:VCARD\nFN:Carla\nTEL;type=CELL:+55 11 96666-0004\nEND:VCARD';
    const many = upsertWithMessage(
      { contactsArrayMessage: { contacts: [{ displayName: 'Bruno Lima', vcard }, { vcard: noWaid }] } },
      'contactsArrayMessage',
    );
    expect(messageOf(parseEvolutionEvent(many, INSTANCE)).text).toBe('👤 Bruno Lima 5511977770003\n👤 Carla +55 11 96666-0004');
  });

  it('reads a sticker and a media URL (S3 mode)', () => {
    const body = upsertWithMessage(
      { stickerMessage: { mimetype: 'image/webp', isAnimated: false }, mediaUrl: 'http://minio.local/s.webp' },
      'stickerMessage',
    );
    const message = messageOf(parseEvolutionEvent(body, INSTANCE));
    expect(message.messageType).toBe('sticker');
    expect(message.media).toMatchObject({ kind: 'sticker', mimeType: 'image/webp', url: 'http://minio.local/s.webp' });
  });

  it('unwraps documentWithCaptionMessage and ephemeral wrappers', () => {
    const document = { documentMessage: { mimetype: 'application/pdf', fileName: 'a.pdf', caption: 'veja' } };
    const body = upsertWithMessage({ ephemeralMessage: { message: { documentWithCaptionMessage: { message: document } } } }, 'ephemeralMessage');
    const message = messageOf(parseEvolutionEvent(body, INSTANCE));
    expect(message).toMatchObject({ messageType: 'document', text: 'veja', media: { kind: 'document', fileName: 'a.pdf' } });
  });

  it('strips a data URL prefix from base64 media', () => {
    const body = upsertWithMessage({ imageMessage: { mimetype: 'image/png' }, base64: 'data:image/png;base64,AAAA' }, 'imageMessage');
    expect(messageOf(parseEvolutionEvent(body, INSTANCE)).media?.base64).toBe('AAAA');
  });

  it('maps unsupported content to unknown', () => {
    const body = upsertWithMessage({ pollCreationMessageV3: { name: 'Qual dia?' } }, 'pollCreationMessageV3');
    expect(messageOf(parseEvolutionEvent(body, INSTANCE))).toMatchObject({ messageType: 'unknown', text: '' });
  });

  it('falls back to the LID when no field carries a phone', () => {
    const body = loadEvolutionFixture<JsonObject & { data: { key: JsonObject } }>('messages.upsert.text.lid');
    delete body.data.key.remoteJidAlt;
    expect(messageOf(parseEvolutionEvent(body, INSTANCE)).sender).toEqual({
      id: '187654321098765@lid',
      phone: undefined,
      jid: undefined,
      lid: '187654321098765@lid',
      displayName: 'Ana Teste',
    });
  });

  it('reads senderPn and strips the device suffix', () => {
    const body = loadEvolutionFixture<JsonObject & { data: { key: JsonObject } }>('messages.upsert.text.lid');
    delete body.data.key.remoteJidAlt;
    body.data.key.senderPn = '5511988880001:12@s.whatsapp.net';
    expect(messageOf(parseEvolutionEvent(body, INSTANCE)).sender).toMatchObject({ id: '5511988880001', jid: '5511988880001@s.whatsapp.net' });
  });

  it('reads string and Long timestamps', () => {
    const asString = upsertWithMessage({ conversation: 'x' }, 'conversation', { messageTimestamp: '1763900000' });
    const asLong = upsertWithMessage({ conversation: 'x' }, 'conversation', { messageTimestamp: { low: 1763900000, high: 0, unsigned: true } });
    expect(messageOf(parseEvolutionEvent(asString, INSTANCE)).timestamp).toEqual(new Date(1763900000 * 1000));
    expect(messageOf(parseEvolutionEvent(asLong, INSTANCE)).timestamp).toEqual(new Date(1763900000 * 1000));
  });
});

describe('envelopes from the evolution-events driver', () => {
  it('apply overrides the parser reads back', () => {
    const envelope = evolutionEnvelope('messages.upsert.group', {
      instance: 'loja-2',
      remoteJid: '120363000000000009@g.us',
      participant: '5511977770002@s.whatsapp.net',
      text: 'oi pessoal',
      pushName: 'Carlos',
      messageTimestamp: 1763900999,
      deep: { data: { key: { participantAlt: undefined } } },
    });
    expect(envelope).toMatchObject({ instance: 'loja-2', destination: 'http://omni.local:8882/webhook/evolution/loja-2' });
    expect(messageOf(parseEvolutionEvent(envelope, 'loja-2'))).toMatchObject({
      instanceName: 'loja-2',
      chatId: '120363000000000009@g.us',
      text: 'oi pessoal',
      sender: { id: '5511977770002', lid: undefined, displayName: 'Carlos' },
      timestamp: new Date(1763900999 * 1000),
    });
  });

  it('give each message a fresh id and a current timestamp unless told otherwise', () => {
    const first = messageOf(parseEvolutionEvent(evolutionEnvelope('messages.upsert.text'), INSTANCE));
    const second = messageOf(parseEvolutionEvent(evolutionEnvelope('messages.upsert.text'), INSTANCE));
    expect(first.externalMessageId).not.toBe(second.externalMessageId);
    expect(Math.abs(first.timestamp.getTime() - Date.now())).toBeLessThan(5000);
    const kept = evolutionEnvelope('messages.upsert.text', { keyId: null, messageTimestamp: null });
    expect(messageOf(parseEvolutionEvent(kept, INSTANCE))).toMatchObject({
      externalMessageId: 'A3F1C2D4E5B6978812345678ABCDEF01',
      timestamp: new Date(1763900000 * 1000),
    });
  });

  it('put text overrides in captions and switch fromMe', () => {
    const image = evolutionEnvelope('messages.upsert.image', { text: 'nova legenda', fromMe: true, apikey: null });
    expect(image.apikey).toBeNull();
    expect(parseEvolutionEvent(image, INSTANCE)).toMatchObject({ kind: 'message', fromMe: true, message: { text: 'nova legenda' } });
  });
});

describe('toNumber', () => {
  it.each([
    [12, 12],
    ['1048576', 1048576],
    [{ low: 132, high: 0, unsigned: true }, 132],
    [{ low: -1331138311, high: 410, unsigned: false }, 1763900420345],
    ['', undefined],
    ['abc', undefined],
    [null, undefined],
    [{ '0': 1 }, undefined],
  ])('reads %j as %s', (value, expected) => {
    expect(toNumber(value)).toBe(expected);
  });
});

describe('eventNameFromSuffix', () => {
  it.each([
    ['messages-upsert', 'messages.upsert'],
    ['send-message', 'send.message'],
    ['connection-update', 'connection.update'],
    ['qrcode-updated', 'qrcode.updated'],
    ['group-participants-update', 'group-participants.update'],
    ['send-message-update', 'send.message.update'],
    ['some-new-event', 'some.new.event'],
  ])('maps %s to %s', (suffix, event) => {
    expect(eventNameFromSuffix(suffix)).toBe(event);
  });
});
