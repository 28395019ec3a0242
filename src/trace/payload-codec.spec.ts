import { decodePayload, encodePayload } from './payload-codec';

describe('encodePayload', () => {
  it('gives back the payload it compressed, with its sizes', async () => {
    const payload = { event: 'messages.upsert', data: { message: { conversation: 'olá, tudo bem?' } } };
    const encoded = await encodePayload(payload);
    expect(decodePayload(encoded.compressed)).toEqual(payload);
    expect(encoded.sizeOriginal).toBe(Buffer.byteLength(JSON.stringify(payload)));
    expect(encoded.sizeCompressed).toBe(encoded.compressed.length);
  });

  it('gives back a payload carrying media bytes, compressed off the event loop', async () => {
    const payload = { event: 'messages.upsert', data: { message: { imageMessage: { mimetype: 'image/jpeg' } }, base64: Buffer.alloc(300_000, 'é').toString('base64') } };
    const encoded = await encodePayload(payload);
    expect(decodePayload(encoded.compressed)).toEqual(payload);
    expect(encoded.sizeOriginal).toBe(Buffer.byteLength(JSON.stringify(payload)));
    expect(encoded).toMatchObject({ containsMedia: true, containsBase64: true });
  });

  it('flags media bytes by a long run of base64, not by ordinary text', async () => {
    const containsBase64 = async (payload: unknown) => (await encodePayload(payload)).containsBase64;
    expect(await containsBase64({ jpegThumbnail: Buffer.alloc(600, 7).toString('base64') })).toBe(true);
    expect(await containsBase64({ id: 'A'.repeat(511) })).toBe(false);
    expect(await containsBase64({ id: `${'A'.repeat(300)}-${'B'.repeat(300)}` })).toBe(false);
    expect(await containsBase64({ text: 'a'.repeat(400) + ' ' + 'b'.repeat(400) })).toBe(false);
    expect(await containsBase64({ message: { base64: 'abc' } })).toBe(true);
  });

  it('finds a run of base64 wherever it starts in the payload', async () => {
    for (const offset of [0, 1, 200, 255, 256, 257, 511, 700]) {
      const text = 'x '.repeat(offset);
      expect((await encodePayload({ text, bytes: 'Q'.repeat(512) })).containsBase64).toBe(true);
      expect((await encodePayload({ text, bytes: 'Q'.repeat(511), more: 'Q'.repeat(300) })).containsBase64).toBe(false);
    }
  });

  it('flags media messages', async () => {
    expect((await encodePayload({ message: { imageMessage: { mimetype: 'image/jpeg' } } })).containsMedia).toBe(true);
    expect((await encodePayload({ message: { conversation: 'hi' } })).containsMedia).toBe(false);
  });
});
