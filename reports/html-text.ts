/** HTML escaping for text from the config: names and descriptions are data, never markup. */

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and for double-quoted attribute values alike. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export function htmlCode(text: string): string {
  return `<code>${esc(text)}</code>`;
}
