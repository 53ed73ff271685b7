/**
 * Markdown escaping for text that comes from the config (descriptions, names, paths): a
 * description must never turn into a link, an HTML tag, or a broken table in a PR comment.
 */

/** Free text: every character CommonMark or GFM could read as markup is backslash-escaped. */
export function mdText(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\`*_[\]<>|#~!&]/g, (c) => `\\${c}`);
}

/** A code span that survives backticks in the text and pipes inside table cells. */
export function mdCode(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = fence.length > 1 ? " " : "";
  // GFM splits table rows on `|` before it parses code spans, so the pipe is escaped even here.
  return `${fence}${pad}${text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** A GFM table; cells are already Markdown. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => (c === "" ? " " : c)).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
