/**
 * A small evaluator for the subset of CloudWatch Logs' filter pattern syntax the stacks use:
 * JSON patterns `{ <expr> }` with selectors `$.a.b`, `=` / `!=` against a quoted string,
 * `&&`, `||` and parentheses. As in CloudWatch, a JSON pattern matches only log events that
 * are JSON objects: a line with a text prefix never matches. Anything outside the subset
 * throws, so a pattern changed beyond it fails the tests instead of passing unchecked.
 */

type Expr =
  | { readonly kind: "compare"; readonly selector: readonly string[]; readonly op: "=" | "!="; readonly value: string }
  | { readonly kind: "and" | "or"; readonly left: Expr; readonly right: Expr };

const TOKEN = /\s*(\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+|"(?:[^"\\]|\\.)*"|&&|\|\||!=|=|\(|\))/y;

function tokenize(body: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    if (/^\s*$/.test(body.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(body);
    if (!match) throw new Error(`filter pattern: unsupported syntax at ${JSON.stringify(body.slice(at))}`);
    tokens.push(match[1]!);
  }
  return tokens;
}

/** Parses `{ ... }`; `&&` binds tighter than `||`, as in CloudWatch. */
export function parseJsonFilterPattern(pattern: string): Expr {
  const outer = /^\s*\{([\s\S]*)\}\s*$/.exec(pattern);
  if (!outer) throw new Error(`filter pattern: only JSON patterns ({ ... }) are supported (got ${JSON.stringify(pattern)})`);
  const tokens = tokenize(outer[1]!);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const token = tokens[i++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`filter pattern: expected ${expected ?? "a token"} at token ${i} (got ${token ?? "end"})`);
    return token;
  };
  const primary = (): Expr => {
    if (peek() === "(") {
      take("(");
      const inner = or();
      take(")");
      return inner;
    }
    const selector = take();
    if (!selector.startsWith("$.")) throw new Error(`filter pattern: expected a $. selector (got ${selector})`);
    const op = take();
    if (op !== "=" && op !== "!=") throw new Error(`filter pattern: unsupported operator ${op}`);
    const literal = take();
    if (!literal.startsWith('"')) throw new Error(`filter pattern: only quoted string values are supported (got ${literal})`);
    return { kind: "compare", selector: selector.slice(2).split("."), op, value: JSON.parse(literal) as string };
  };
  const and = (): Expr => {
    let left = primary();
    while (peek() === "&&") {
      take();
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (peek() === "||") {
      take();
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const expr = or();
  if (i !== tokens.length) throw new Error(`filter pattern: unexpected ${tokens[i]}`);
  return expr;
}

function evaluate(expr: Expr, event: unknown): boolean {
  switch (expr.kind) {
    case "and":
      return evaluate(expr.left, event) && evaluate(expr.right, event);
    case "or":
      return evaluate(expr.left, event) || evaluate(expr.right, event);
    case "compare": {
      let value: unknown = event;
      for (const key of expr.selector) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      if (typeof value !== "string") return false; // a missing field matches neither = nor != (string values only here)
      return expr.op === "=" ? value === expr.value : value !== expr.value;
    }
  }
}

/** Whether a metric filter with this JSON pattern counts this log event message. */
export function filterPatternMatches(pattern: string, message: string): boolean {
  const expr = parseJsonFilterPattern(pattern);
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return false; // not a JSON log event: JSON patterns never match it
  }
  if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
  return evaluate(expr, event);
}
