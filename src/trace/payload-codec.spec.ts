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

  it('finds a run of base64 wherever it starts in the payload', () => {
    for (const offset of [0, 1, 200, 255, 256, 257, 511, 700]) {
      const text = `${'x '.repeat(offset)}`;
      expect(encodePayload({ text, bytes: 'Q'.repeat(512) }).containsBase64).toBe(true);
      expect(encodePayload({ text, bytes: 'Q'.repeat(511), more: 'Q'.repeat(300) }).containsBase64).toBe(false);
    }
  });

  it('flags media messages', () => {
    expect(encodePayload({ message: { imageMessage: { mimetype: 'image/jpeg' } } }).containsMedia).toBe(true);
    expect(encodePayload({ message: { conversation: 'hi' } }).containsMedia).toBe(false);
  });
});
