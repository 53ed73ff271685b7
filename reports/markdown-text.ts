/**
 * Markdown escaping for text that comes from the config (descriptions, names, paths, scope
 * names): a name must never turn into a link, bold text, an HTML tag, a new line or a broken
 * table in a PR comment. Scope names may hold almost any printable ASCII character, backticks,
 * `|`, `[`, `]`, `<` and `*` included (model/aws-limits), so every context escapes on its own.
 */

/** Line breaks (any kind) become one space: a value never starts a new block (heading, list, quote). */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, " ");
}

/** Free text: every character CommonMark or GFM could read as markup is backslash-escaped. */
export function mdText(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>|#~!&]/g, (c) => `\\${c}`);
}

/**
 * A code span that no text can close early: its fence is one backtick longer than the longest
 * run of backticks inside (CommonMark: a span closes only on a run of the same length), with a
 * space of padding when the text starts or ends with a backtick or a space (the parser strips
 * exactly one each side). Inside a code span nothing else is markup, except `|` in a GFM table
 * row, which GFM splits on before it reads spans: it is escaped (GFM turns `\|` back into `|`
 * in cells; outside tables the backslash shows, which is the price of one function for both).
 */
export function mdCode(text: string): string {
  const flat = oneLine(text).replace(/\|/g, "\\|");
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(flat) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A GFM table; cells are already Markdown (mdText / mdCode escape their `|`). */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => (c === "" ? " " : oneLine(c))).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
