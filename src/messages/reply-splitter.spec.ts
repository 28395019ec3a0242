import { extractCompleteParagraphs, splitReply, typingDelayMs } from './reply-splitter';

const NO_LIMIT = { autoSplit: true, maxLength: 0 };

describe('splitReply', () => {
  it('splits on blank lines, trimming parts and dropping empty ones', () => {
    const text = '  Olá Ana!  \n\nAbrimos aos sábados.\n   \n\t\n\nDas 9h às 13h.\n\n\n';
    expect(splitReply(text, NO_LIMIT)).toEqual(['Olá Ana!', 'Abrimos aos sábados.', 'Das 9h às 13h.']);
  });

  it('keeps single line breaks inside a paragraph', () => {
    expect(splitReply('Itens:\n- arroz\n- feijão\n\nTotal: 2', NO_LIMIT)).toEqual(['Itens:\n- arroz\n- feijão', 'Total: 2']);
  });

  it('sends the whole text as one message when auto-split is off', () => {
    expect(splitReply('  a\n\nb  ', { autoSplit: false, maxLength: 0 })).toEqual(['a\n\nb']);
  });

  it('returns nothing for blank text', () => {
    expect(splitReply(' \n\n \n', NO_LIMIT)).toEqual([]);
    expect(splitReply('', { autoSplit: false, maxLength: 10 })).toEqual([]);
  });

  it('does not split a fenced code block on its blank lines', () => {
    const code = '```ts\nconst a = 1;\n\nconst b = 2;\n```';
    expect(splitReply(`Veja:\n\n${code}\n\nPronto.`, NO_LIMIT)).toEqual(['Veja:', code, 'Pronto.']);
  });

  describe('length limit', () => {
    it('prefers a paragraph break, then a line break', () => {
      const text = 'aaaa bbbb\n\ncccc dddd\neeee ffff';
      expect(splitReply(text, { autoSplit: false, maxLength: 22 })).toEqual(['aaaa bbbb', 'cccc dddd\neeee ffff']);
      expect(splitReply('aaaa bbbb\ncccc dddd eeee', { autoSplit: false, maxLength: 12 })).toEqual(['aaaa bbbb', 'cccc dddd', 'eeee']);
    });

    it('then a sentence end, then a space, never mid-word', () => {
      expect(splitReply('Primeira frase. Segunda frase longa', { autoSplit: true, maxLength: 20 })).toEqual([
        'Primeira frase.',
        'Segunda frase longa',
      ]);
      expect(splitReply('palavra outra palavra', { autoSplit: true, maxLength: 15 })).toEqual(['palavra outra', 'palavra']);
    });

    it('cuts a single word longer than the limit, keeping emoji whole', () => {
      expect(splitReply('abcdefghij', { autoSplit: true, maxLength: 4 })).toEqual(['abcd', 'efgh', 'ij']);
      expect(splitReply('abc😀def', { autoSplit: true, maxLength: 4 })).toEqual(['abc', '😀de', 'f']);
    });

    it('never exceeds the limit', () => {
      const text = Array.from({ length: 300 }, (_, i) => `palavra${i}${i % 7 === 0 ? '.' : ''}`).join(' ');
      const parts = splitReply(text, { autoSplit: true, maxLength: 100 });
      expect(parts.every((part) => part.length <= 100)).toBe(true);
      expect(parts.join(' ')).toBe(text);
    });

    it('moves a code block that fits to the next message instead of cutting it', () => {
      const code = '```\nline one\nline two\n```';
      const text = `Intro text here\n${code}\nafter`;
      expect(splitReply(text, { autoSplit: true, maxLength: 30 })).toEqual(['Intro text here', code, 'after']);
    });

    it('cuts a code block that cannot fit at line boundaries', () => {
      const code = '```\n' + Array.from({ length: 6 }, (_, i) => `line ${i}`).join('\n') + '\n```';
      const parts = splitReply(code, { autoSplit: true, maxLength: 20 });
      expect(parts.every((part) => part.length <= 20)).toBe(true);
      expect(parts.join('\n')).toBe(code);
    });
  });
});

describe('typingDelayMs', () => {
  const options = { minMs: 500, maxMs: 3000, msPerChar: 30 };

  it('grows with the text and stays within bounds', () => {
    expect(typingDelayMs('oi', options)).toBe(500);
    expect(typingDelayMs('x'.repeat(50), options)).toBe(1500);
    expect(typingDelayMs('x'.repeat(1000), options)).toBe(3000);
  });
});

describe('extractCompleteParagraphs', () => {
  it('returns paragraphs closed by a blank line and keeps the rest', () => {
    expect(extractCompleteParagraphs('Olá!\n\nTudo bem?\n\nEstou ')).toEqual({ paragraphs: ['Olá!', 'Tudo bem?'], rest: 'Estou ' });
  });

  it('keeps everything while no blank line has arrived', () => {
    expect(extractCompleteParagraphs('Olá!\n')).toEqual({ paragraphs: [], rest: 'Olá!\n' });
    expect(extractCompleteParagraphs('Olá!\n  ')).toEqual({ paragraphs: [], rest: 'Olá!\n  ' });
  });

  it('closes a paragraph on a trailing blank line', () => {
    expect(extractCompleteParagraphs('Olá!\n\n')).toEqual({ paragraphs: ['Olá!'], rest: '' });
    expect(extractCompleteParagraphs('Olá!\n \n\n')).toEqual({ paragraphs: ['Olá!'], rest: '' });
  });

  it('does not cut inside an open code fence', () => {
    const buffer = 'Veja:\n\n```py\nx = 1\n\ny = 2\n';
    expect(extractCompleteParagraphs(buffer)).toEqual({ paragraphs: ['Veja:'], rest: '```py\nx = 1\n\ny = 2\n' });
    const closed = `${buffer}\`\`\`\n\nFim`;
    expect(extractCompleteParagraphs(closed)).toEqual({ paragraphs: ['Veja:', '```py\nx = 1\n\ny = 2\n```'], rest: 'Fim' });
  });

  it('yields the same paragraphs as splitReply when streamed piece by piece', () => {
    const reply = 'Primeiro.\n\nSegundo com\nduas linhas.\n\n```\na\n\nb\n```\n\nÚltimo.';
    const streamed: string[] = [];
    let buffer = '';
    for (const piece of reply.match(/.{1,3}/gs) ?? []) {
      const { paragraphs, rest } = extractCompleteParagraphs(buffer + piece);
      streamed.push(...paragraphs);
      buffer = rest;
    }
    streamed.push(...splitReply(buffer, NO_LIMIT));
    expect(streamed).toEqual(splitReply(reply, NO_LIMIT));
  });
});
