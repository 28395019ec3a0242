// Narrowing helpers for agent server payloads, which arrive as unknown JSON.

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(source: JsonObject, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(source: JsonObject, key: string): number | undefined {
  const value = source[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function objectField(source: JsonObject, key: string): JsonObject | undefined {
  const value = source[key];
  return isJsonObject(value) ? value : undefined;
}

export function arrayField(source: JsonObject, key: string): unknown[] {
  const value = source[key];
  return Array.isArray(value) ? value : [];
}

/** Structured output (an object) becomes its JSON text, so a reply is always a string. */
export function contentText(content: unknown): string | undefined {
  if (content === undefined || content === null) return undefined;
  return typeof content === 'string' ? content : JSON.stringify(content);
}
