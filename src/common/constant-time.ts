import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares two secrets in constant time (through their hashes, so lengths never leak). */
export function constantTimeEquals(candidate: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(candidate), digest(expected));
}
