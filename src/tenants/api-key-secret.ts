import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEquals } from '../common/constant-time';

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A new random key; `omni_` marks it in logs and secret scanners. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `omni_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

export const sameKey = constantTimeEquals;
