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
const BASE64_RUN = /[A-Za-z0-9+/]{512,}={0,2}/;

export function encodePayload(payload: unknown): EncodedPayload {
  const json = JSON.stringify(payload ?? null);
  const compressed = deflateSync(Buffer.from(json, 'utf8')).toString('base64');
  return {
    compressed,
    sizeOriginal: Buffer.byteLength(json, 'utf8'),
    sizeCompressed: compressed.length,
    containsMedia: MEDIA_HINT.test(json),
    containsBase64: /"base64"/i.test(json) || BASE64_RUN.test(json),
  };
}

export function decodePayload(compressed: string): unknown {
  return JSON.parse(inflateSync(Buffer.from(compressed, 'base64')).toString('utf8'));
}
