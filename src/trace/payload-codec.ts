import { deflateSync, inflateSync } from 'node:zlib';

export interface EncodedPayload {
  compressed: string;
  sizeOriginal: number;
  sizeCompressed: number;
  containsMedia: boolean;
  containsBase64: boolean;
}

const MEDIA_HINT = /"(image|video|audio|document|sticker)Message"|"media(type|Url)?"|"mimetype"/i;
/** A run this long of base64 alphabet is media bytes, not text. */
const BASE64_RUN_LENGTH = 512;

export function encodePayload(payload: unknown): EncodedPayload {
  const json = JSON.stringify(payload ?? null);
  const compressed = deflateSync(Buffer.from(json, 'utf8')).toString('base64');
  return {
    compressed,
    sizeOriginal: Buffer.byteLength(json, 'utf8'),
    sizeCompressed: compressed.length,
    containsMedia: MEDIA_HINT.test(json),
    containsBase64: /"base64"/i.test(json) || hasBase64Run(json),
  };
}

export function decodePayload(compressed: string): unknown {
  return JSON.parse(inflateSync(Buffer.from(compressed, 'base64')).toString('utf8'));
}

/**
 * One pass over the text. A regex (`[A-Za-z0-9+/]{512,}`) restarts at every character and cost
 * more than the compression on every webhook.
 */
function hasBase64Run(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = isBase64Char(text.charCodeAt(i)) ? run + 1 : 0;
    if (run >= BASE64_RUN_LENGTH) return true;
  }
  return false;
}

function isBase64Char(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 43 || // +
    code === 47 // /
  );
}
