// Cuts an agent's reply into the messages a person receives: one per paragraph when auto-split is
// on (the original Omni split on blank lines), and never longer than the channel accepts.

export interface SplitOptions {
  autoSplit: boolean;
  /** The channel's limit per message (Discord: 2000); 0 or Infinity means no limit. */
  maxLength: number;
}

export interface TypingDelayOptions {
  minMs: number;
  maxMs: number;
  msPerChar: number;
}

interface Range {
  start: number;
  end: number;
}

/** A line that opens or closes a fenced code block. */
const FENCE_LINE = /^ {0,3}```/;

// Cut candidates, best first. `cutAfter` keeps the match in the first chunk (sentence punctuation).
const BOUNDARIES: { pattern: RegExp; cutAfter: boolean }[] = [
  { pattern: /\n[ \t]*\n/g, cutAfter: false },
  { pattern: /\n/g, cutAfter: false },
  { pattern: /[.!?…](?=\s)/g, cutAfter: true },
  { pattern: /\s/g, cutAfter: false },
];

export function splitReply(text: string, options: SplitOptions): string[] {
  const parts = options.autoSplit ? paragraphsOf(text) : [text.trim()].filter(Boolean);
  return parts.flatMap((part) => cutToLength(part, options.maxLength));
}

/** A pause that makes a reply feel typed: proportional to its length, within bounds. */
export function typingDelayMs(text: string, options: TypingDelayOptions): number {
  const proportional = Math.round(text.length * options.msPerChar);
  return Math.min(options.maxMs, Math.max(options.minMs, proportional));
}

/**
 * For streamed replies: the paragraphs already closed by a blank line, and the text still being
 * written. A blank line inside an open ``` fence does not close anything.
 */
export function extractCompleteParagraphs(buffer: string): { paragraphs: string[]; rest: string } {
  const breaks = paragraphBreaks(buffer);
  if (breaks.length === 0) return { paragraphs: [], rest: buffer };
  const done = breaks[breaks.length - 1].end;
  return { paragraphs: paragraphsOf(buffer.slice(0, done)), rest: buffer.slice(done) };
}

function paragraphsOf(text: string): string[] {
  const paragraphs: string[] = [];
  let start = 0;
  for (const separator of paragraphBreaks(text)) {
    paragraphs.push(text.slice(start, separator.start));
    start = separator.end;
  }
  paragraphs.push(text.slice(start));
  return paragraphs.map((paragraph) => paragraph.trim()).filter(Boolean);
}

/** Runs of blank (empty or whitespace-only, newline-terminated) lines outside code fences. */
function paragraphBreaks(text: string): Range[] {
  const breaks: Range[] = [];
  let inFence = false;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    if (newline === -1) break;
    const line = text.slice(lineStart, newline);
    if (FENCE_LINE.test(line)) inFence = !inFence;
    else if (!inFence && line.trim() === '' && lineStart > 0) addBlankLine(breaks, lineStart - 1, newline + 1);
    lineStart = newline + 1;
  }
  return breaks;
}

// Consecutive blank lines form one separator, from the newline ending the text before them.
function addBlankLine(breaks: Range[], start: number, end: number): void {
  const last = breaks[breaks.length - 1];
  if (last && last.end === start + 1) last.end = end;
  else breaks.push({ start, end });
}

function cutToLength(text: string, maxLength: number): string[] {
  if (!(maxLength > 0) || text.length <= maxLength) return [text];
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > maxLength) {
    const cut = cutPosition(rest, maxLength);
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks.filter(Boolean);
}

/** Where to end the first chunk: the best boundary within the limit that does not split a fence that fits. */
function cutPosition(text: string, maxLength: number): number {
  const window = text.slice(0, maxLength + 1);
  const keepWhole = fencedBlocks(text).filter((block) => block.end - block.start <= maxLength);
  const allowed = (cut: number) => cut > 0 && cut <= maxLength && !keepWhole.some((block) => cut > block.start && cut < block.end);
  for (const { pattern, cutAfter } of BOUNDARIES) {
    const cuts = [...window.matchAll(pattern)].map((match) => (cutAfter ? match.index + match[0].length : match.index));
    const best = cuts.filter(allowed).pop();
    if (best !== undefined) return best;
  }
  return hardCut(text, maxLength);
}

// A single word longer than the limit: cut it, but not between the two halves of a surrogate pair.
function hardCut(text: string, maxLength: number): number {
  const code = text.charCodeAt(maxLength - 1);
  return code >= 0xd800 && code <= 0xdbff && maxLength > 1 ? maxLength - 1 : maxLength;
}

/** ``` blocks, from the opening fence line to the end of the closing one (or the end of the text). */
function fencedBlocks(text: string): Range[] {
  const blocks: Range[] = [];
  let openedAt: number | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    if (FENCE_LINE.test(text.slice(lineStart, lineEnd))) {
      if (openedAt === undefined) openedAt = lineStart;
      else {
        blocks.push({ start: openedAt, end: lineEnd });
        openedAt = undefined;
      }
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  if (openedAt !== undefined) blocks.push({ start: openedAt, end: text.length });
  return blocks;
}
