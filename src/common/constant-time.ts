import { hash, timingSafeEqual } from 'node:crypto';

/** Compares two secrets in constant time (through their hashes, so lengths never leak). */
export function constantTimeEquals(candidate: string, expected: string): boolean {
  return timingSafeEqual(hash('sha256', candidate, 'buffer'), hash('sha256', expected, 'buffer'));
}
