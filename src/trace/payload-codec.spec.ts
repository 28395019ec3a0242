import { decodePayload, encodePayload } from './payload-codec';

describe('encodePayload', () => {
  it('gives back the payload it compressed, with its sizes', () => {
    const payload = { event: 'messages.upsert', data: { message: { conversation: 'olá, tudo bem?' } } };
    const encoded = encodePayload(payload);
    expect(decodePayload(encoded.compressed)).toEqual(payload);
    expect(encoded.sizeOriginal).toBe(Buffer.byteLength(JSON.stringify(payload)));
    expect(encoded.sizeCompressed).toBe(encoded.compressed.length);
  });

  it('flags media bytes by a long run of base64, not by ordinary text', () => {
    const bytes = Buffer.alloc(600, 7).toString('base64');
    expect(encodePayload({ jpegThumbnail: bytes }).containsBase64).toBe(true);
    expect(encodePayload({ id: 'A'.repeat(511) }).containsBase64).toBe(false);
    expect(encodePayload({ id: `${'A'.repeat(300)}-${'B'.repeat(300)}` }).containsBase64).toBe(false);
    expect(encodePayload({ text: 'a'.repeat(400) + ' ' + 'b'.repeat(400) }).containsBase64).toBe(false);
    expect(encodePayload({ message: { base64: 'abc' } }).containsBase64).toBe(true);
  });

  it('flags media messages', () => {
    expect(encodePayload({ message: { imageMessage: { mimetype: 'image/jpeg' } } }).containsMedia).toBe(true);
    expect(encodePayload({ message: { conversation: 'hi' } }).containsMedia).toBe(false);
  });
});
