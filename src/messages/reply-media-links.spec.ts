import { splitMediaLinks } from './reply-media-links';

describe('splitMediaLinks', () => {
  it('takes an image link out of the text and sends it as an image captioned with its label', () => {
    const { text, files } = splitMediaLinks('Here is the menu:\n\n![Menu of the day](https://cdn.example.com/menu.png)\n\nAnything else?');
    expect(text).toBe('Here is the menu:\n\nAnything else?');
    expect(files).toEqual([{ kind: 'image', url: 'https://cdn.example.com/menu.png', mimeType: 'image/png', caption: 'Menu of the day' }]);
  });

  it('sends a plain link to a document as that document, named after its file', () => {
    const { text, files } = splitMediaLinks('Your contract: [contract](https://files.example.com/docs/Contrato%20final.pdf?sig=abc) — sign it.');
    expect(text).toBe('Your contract: — sign it.');
    expect(files).toEqual([
      {
        kind: 'document',
        url: 'https://files.example.com/docs/Contrato%20final.pdf?sig=abc',
        mimeType: 'application/pdf',
        caption: 'contract',
        fileName: 'Contrato final.pdf',
      },
    ]);
  });

  it('keeps links that are not media files, and leaves the text untouched when there is none', () => {
    const reply = 'See [our site](https://example.com/about) and ![logo](https://example.com/logo) or [x](ftp://example.com/a.png).';
    expect(splitMediaLinks(reply)).toEqual({ text: reply, files: [] });
  });

  it('takes several links in their order: video, audio, image without a label', () => {
    const { text, files } = splitMediaLinks('Watch ![](https://v.example.com/a.MP4) then [listen](https://a.example.com/b.ogg) ![](https://i.example.com/c.webp)');
    expect(text).toBe('Watch then');
    expect(files.map((f) => [f.kind, f.mimeType, f.caption])).toEqual([
      ['video', 'video/mp4', undefined],
      ['audio', 'audio/ogg', 'listen'],
      ['image', 'image/webp', undefined],
    ]);
  });

  it('keeps the indentation of the lines around a link', () => {
    const { text } = splitMediaLinks('Steps:\n    run  it\n![diagram](https://example.com/d.jpg)');
    expect(text).toBe('Steps:\n    run  it');
  });
});
