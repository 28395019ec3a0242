/** A server's answer as JSON when it parses, otherwise as its text (an HTML error page from a proxy, an empty body). */
export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
