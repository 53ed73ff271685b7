"use strict";
/**
 * Reads Terraform string templates (every string in Terraform JSON is one) well enough to know
 * every function a string calls, and refuses every string it cannot read for certain. A regular
 * expression over the raw text is not enough: `templatestring/**\/("...")` hides a call behind a
 * comment, and a quoted string inside `${...}` may hold `}` or a nested `${...}`.
 *
 * Grammar read (HCL native syntax, the part the project emits):
 *   template    = { literal | "$${" | "%%{" | "${" ["~"] expression ["~"] "}" }
 *   expression  = tokens: identifiers (`a_b-c`, `provider::ns::fn`), numbers, quoted strings
 *                 (themselves templates, read recursively), punctuation and operators
 * Refused outright: comments (`#`, `//`, `/*`), heredocs (`<<`), template directives (`%{if}`,
 * `%{for}`: the project emits none), and any character outside the grammar. A function call is
 * an identifier followed by `(`; with comments refused, only whitespace can stand between them.
 * Plain CommonJS without dependencies (see check-plan-input.js).
 */

class TemplateError extends Error {
  /** @param {string} reason  @param {number} position */
  constructor(reason, position) {
    super(`${reason} (character ${position})`);
    this.name = "TemplateError";
    this.reason = reason;
    this.position = position;
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*(?:::[A-Za-z_][A-Za-z0-9_-]*)*/;
const NUMBER = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
/** Longest first. */
const OPERATORS = ["...", "==", "!=", "<=", ">=", "&&", "||", "=>", ".", ",", "(", ")", "[", "]", "{", "}", "=", ":", "?", "!", "+", "-", "*", "/", "%", "<", ">"];
const SPACE = new Set([" ", "\t", "\n", "\r"]);

/**
 * Reads `text` as a template starting at `start` up to `end` (a closing quote for a nested
 * string, or the end of the text). Returns the index after the template and records calls.
 */
function readTemplate(text, start, quoted, state) {
  let pos = start;
  while (pos < text.length) {
    const c = text[pos];
    if (quoted && c === '"') return pos + 1;
    if (quoted && c === "\\") {
      pos += 2;
      continue;
    }
    if ((c === "$" || c === "%") && text[pos + 1] === c && text[pos + 2] === "{") {
      pos += 3; // $${ and %%{ are literal
      continue;
    }
    if (c === "%" && text[pos + 1] === "{") throw new TemplateError("template directives (%{if}, %{for}) are not allowed", pos);
    if (c === "$" && text[pos + 1] === "{") {
      state.interpolations++;
      pos = readInterpolation(text, pos + 2, state);
      continue;
    }
    pos++;
  }
  if (quoted) throw new TemplateError("unterminated quoted string in an expression", pos);
  return pos;
}

/** Reads the expression after `${` up to and including its closing `}`; returns the index after it. */
function readInterpolation(text, start, state) {
  let pos = start;
  let depth = 0;
  let previous = ""; // the last token, to spot `identifier (`
  if (text[pos] === "~") pos++;
  while (pos < text.length) {
    const c = text[pos];
    if (SPACE.has(c)) {
      pos++;
      continue;
    }
    if (c === "#" || (c === "/" && (text[pos + 1] === "/" || text[pos + 1] === "*"))) throw new TemplateError("comments inside an expression are not allowed", pos);
    if (c === "<" && text[pos + 1] === "<") throw new TemplateError("heredocs inside an expression are not allowed", pos);
    if (c === "~" && text[pos + 1] === "}" && depth === 0) {
      pos++;
      continue;
    }
    if (c === '"') {
      pos = readTemplate(text, pos + 1, true, state);
      previous = '"';
      continue;
    }
    const id = IDENTIFIER.exec(text.slice(pos, pos + 256));
    if (id) {
      if (id[0].length >= 256) throw new TemplateError("identifier too long", pos);
      pos += id[0].length;
      previous = id[0];
      continue;
    }
    const num = NUMBER.exec(text.slice(pos, pos + 64));
    if (num) {
      pos += num[0].length;
      previous = "0";
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, pos));
    if (op === undefined) throw new TemplateError(`character ${JSON.stringify(c)} is not allowed in an expression`, pos);
    if (op === "(" && IDENTIFIER.test(previous) && !/^(?:true|false|null|for|in|if)$/.test(previous)) state.calls.push(previous);
    if (op === "(" || op === "[" || op === "{") depth++;
    if (op === ")" || op === "]" || op === "}") {
      if (depth === 0) {
        if (op === "}") return pos + 1;
        throw new TemplateError(`unbalanced ${op}`, pos);
      }
      depth--;
    }
    pos += op.length;
    previous = op;
  }
  throw new TemplateError('unterminated "${"', pos);
}

/**
 * The functions a Terraform JSON string calls, in order (names as written, e.g. `jsonencode`,
 * `provider::aws::arn_parse`). Throws TemplateError for anything outside the grammar above.
 * @param {string} text
 * @returns {{ calls: string[], hasExpressions: boolean }}
 */
function readTemplateString(text) {
  const state = { calls: [], interpolations: 0 };
  readTemplate(text, 0, false, state);
  return { calls: state.calls, hasExpressions: state.interpolations > 0 };
}

module.exports = { readTemplateString, TemplateError };
