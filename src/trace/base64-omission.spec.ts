import { base64Placeholder, omitBase64 } from './base64-omission';

const MEDIA = 'iVBORw0KGgo'.repeat(100);

describe('omitBase64', () => {
  it('replaces long base64 strings anywhere in the payload, data URIs included', () => {
    const payload = {
      data: { message: { imageMessage: { caption: 'look' } }, base64: MEDIA },
      media_contents: [{ mime_type: 'image/png', data: `data:image/png;base64,${MEDIA}` }],
    };
    expect(omitBase64(payload)).toEqual({
      data: { message: { imageMessage: { caption: 'look' } }, base64: base64Placeholder(MEDIA.length) },
      media_contents: [{ mime_type: 'image/png', data: base64Placeholder(MEDIA.length + 22) }],
    });
  });

  it('keeps text, short tokens, numbers, booleans and nulls', () => {
    const payload = {
      text: 'a'.repeat(300) + ' with a space',
      id: '3EB0C767D26A1D8F5A1B',
      count: 3,
      flag: true,
      nothing: null,
    };
    expect(omitBase64(payload)).toEqual(payload);
  });
});
