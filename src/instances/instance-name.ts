import { UnprocessableEntityException } from '@nestjs/common';

const PLACEHOLDER_NAMES = new Set(['string', 'null', 'undefined', '']);

/**
 * Normalises an instance name as the original does: lower-case, spaces to `-`, only [a-z0-9-_],
 * runs of `-`/`_` collapsed, 2–50 characters. A name that loses more than half of itself, or
 * holds `!`, is refused rather than silently renamed.
 */
export function normaliseInstanceName(raw: string): string {
  const trimmed = raw.trim();
  if (PLACEHOLDER_NAMES.has(trimmed.toLowerCase())) {
    throw new UnprocessableEntityException(`'${raw}' is not a usable instance name`);
  }
  const name = trimmed
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/[-_]{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 50);
  if (trimmed.includes('!') || name.length < trimmed.length / 2 || name.length < 2) {
    throw new UnprocessableEntityException(
      `Instance name '${raw}' has too many characters outside a-z, 0-9, '-' and '_' (it would become '${name}')`,
    );
  }
  return name;
}
