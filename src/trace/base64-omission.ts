// Media arrives as base64 inside webhooks and agent requests; a payload viewer rarely wants
// megabytes of it. Long base64 strings are replaced by a placeholder that says how long they were.

/** Shorter strings are left alone: ids, hashes and short tokens look like base64 too. */
const MIN_BASE64_LENGTH = 256;
const BASE64_TEXT = /^(data:[\w.+-]+\/[\w.+-]+;base64,)?[A-Za-z0-9+/\r\n]+={0,2}$/;

export const base64Placeholder = (length: number) => `[base64 omitted: ${length} characters]`;

export function omitBase64(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length >= MIN_BASE64_LENGTH && BASE64_TEXT.test(value) ? base64Placeholder(value.length) : value;
  }
  if (Array.isArray(value)) return value.map(omitBase64);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, omitBase64(inner)]));
  }
  return value;
}
