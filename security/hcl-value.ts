/**
 * Reads the argument of a synthesized `${jsonencode({...})}` (how cdktf writes `Fn.jsonencode`
 * of an object holding references) back into a JS value, so policies built that way can be
 * checked like plain JSON ones. Literals become values; any other expression (a reference
 * such as `aws_cloudwatch_log_group.x.arn`, a function call) becomes the string `${expr}`,
 * the same form an interpolated reference has in JSON.
 */

export class HclValueSyntaxError extends Error {
  constructor(readonly position: number, readonly expected: string) {
    super(`cannot read the expression at character ${position}: expected ${expected}`);
    this.name = "HclValueSyntaxError";
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  readDocument(): unknown {
    const value = this.readValue();
    this.skipSpace();
    if (this.pos !== this.text.length) throw new HclValueSyntaxError(this.pos, "the end of the expression");
    return value;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private readValue(): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "{") return this.readObject();
    if (c === "[") return this.readTuple();
    if (c === '"') return this.readString();
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?![\w.])/.exec(this.text.slice(this.pos));
    if (literal) {
      this.pos += literal[0].length;
      return JSON.parse(literal[0]);
    }
    return `\${${this.readRawExpression()}}`;
  }

  private readObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++; // {
    for (;;) {
      this.skipSeparators();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return out;
      }
      const key = this.text[this.pos] === '"' ? this.readString() : this.readIdentifier();
      this.skipSpace();
      const op = this.text[this.pos];
      if (op !== "=" && op !== ":") throw new HclValueSyntaxError(this.pos, '"=" or ":" after an object key');
      this.pos++;
      out[key] = this.readValue();
    }
  }

  private readTuple(): unknown[] {
    const out: unknown[] = [];
    this.pos++; // [
    for (;;) {
      this.skipSeparators();
      if (this.text[this.pos] === "]") {
        this.pos++;
        return out;
      }
      out.push(this.readValue());
    }
  }

  private skipSeparators(): void {
    while (this.pos < this.text.length && (/\s/.test(this.text[this.pos]) || this.text[this.pos] === ",")) this.pos++;
    if (this.pos >= this.text.length) throw new HclValueSyntaxError(this.pos, "a closing bracket");
  }

  private readIdentifier(): string {
    const match = /^[A-Za-z_][\w-]*/.exec(this.text.slice(this.pos));
    if (!match) throw new HclValueSyntaxError(this.pos, "an object key");
    this.pos += match[0].length;
    return match[0];
  }

  /** A quoted string; `${...}` interpolations inside are kept verbatim (they may hold quotes). */
  private readString(): string {
    let out = "";
    this.pos++; // opening quote
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        const next = this.text[this.pos + 1];
        if (next === "u") {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          out += ({ n: "\n", t: "\t", r: "\r" } as Record<string, string>)[next] ?? next;
          this.pos += 2;
        }
        continue;
      }
      if (c === "$" && this.text[this.pos + 1] === "{") {
        const end = this.matchingClose(this.pos + 1);
        out += this.text.slice(this.pos, end + 1);
        this.pos = end + 1;
        continue;
      }
      out += c;
      this.pos++;
    }
    throw new HclValueSyntaxError(this.pos, "a closing quote");
  }

  /** Text up to the next `,`, `]` or `}` outside brackets and strings. */
  private readRawExpression(): string {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.readString();
        continue;
      }
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") {
        if (depth === 0) break;
        depth--;
      } else if (c === "," && depth === 0) break;
      this.pos++;
    }
    const raw = this.text.slice(start, this.pos).trim();
    if (raw === "") throw new HclValueSyntaxError(start, "a value");
    return raw;
  }

  /** Index of the `}` closing the `{` at `open`, skipping nested braces and quoted strings. */
  private matchingClose(open: number): number {
    let depth = 0;
    for (let i = open; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "{") depth++;
      else if (c === "}" && --depth === 0) return i;
      else if (c === '"') {
        for (i++; i < this.text.length && this.text[i] !== '"'; i++) if (this.text[i] === "\\") i++;
      }
    }
    throw new HclValueSyntaxError(open, 'a closing "}"');
  }
}

/** Parses an HCL value expression (object/tuple/string/number/bool literals and references). */
export function parseHclValue(text: string): unknown {
  return new Reader(text).readDocument();
}

/** The argument of a whole-string `${jsonencode(...)}`, parsed; undefined for any other string. */
export function parseJsonencode(value: string): unknown | undefined {
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value.trim());
  return match ? parseHclValue(match[1]) : undefined;
}
