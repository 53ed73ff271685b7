/**
 * Can an IAM resource pattern match some request of a route? API Gateway evaluates an
 * authorizer's (cached) policy against the concrete `methodArn` of each later request, where
 * `*` in a pattern matches any run of characters *including `/`* and `?` matches one
 * character. So the Allow pattern `GET/orders/*` also matches `GET/orders/7/refunds`, a
 * different route. The scope checker uses this test to add the Deny statements that keep a
 * cached policy from granting such a neighbouring route.
 *
 * Both sides are tiny regular languages (sequences of "one character of a class" or "any run
 * of a class"); whether they share a string is reachability in their product automaton.
 */

type CharClass = { readonly kind: "char"; readonly ch: string } | { readonly kind: "not-slash" } | { readonly kind: "any" };

/** One character of `cls`, or (repeat) any run of them including the empty run. */
export interface PatternItem {
  readonly cls: CharClass;
  readonly repeat: boolean;
}

export type Pattern = readonly PatternItem[];

const ANY: CharClass = { kind: "any" };
const NOT_SLASH: CharClass = { kind: "not-slash" };

function literal(text: string): PatternItem[] {
  return Array.from(text, (ch) => ({ cls: { kind: "char", ch }, repeat: false }));
}

/** An IAM resource pattern (`*` any run, `?` any one character) as a pattern. */
export function globPattern(glob: string): Pattern {
  return Array.from(glob, (ch) =>
    ch === "*" ? { cls: ANY, repeat: true } : ch === "?" ? { cls: ANY, repeat: false } : { cls: { kind: "char", ch } as CharClass, repeat: false },
  );
}

/**
 * The `METHOD/path` tails of the method ARNs that requests to a route produce: a `{param}`
 * segment is one or more characters without `/`, a greedy `{param+}` one or more of any.
 * With `paramMayHoldSlash`, a `{param}` may hold `/` too: the model for the Deny-overlap
 * computation (see access-policy.ts, issue 15).
 * `ANY` stands for any method word (one or more characters without `/`): exact for our
 * patterns, whose method is either a real method literal or inside a `*`.
 */
export function requestPattern(method: string, segments: readonly RequestSegment[], paramMayHoldSlash = false): Pattern {
  const items: PatternItem[] = method === "ANY" ? [{ cls: NOT_SLASH, repeat: false }, { cls: NOT_SLASH, repeat: true }, ...literal("/")] : literal(`${method}/`);
  segments.forEach((segment, i) => {
    if (i > 0) items.push(...literal("/"));
    if (segment.kind === "literal") items.push(...literal(segment.text));
    else {
      const cls = segment.greedy || paramMayHoldSlash ? ANY : NOT_SLASH;
      items.push({ cls, repeat: false }, { cls, repeat: true });
    }
  });
  return items;
}

export type RequestSegment = { readonly kind: "literal"; readonly text: string } | { readonly kind: "parameter"; readonly greedy: boolean };

function classesShareACharacter(a: CharClass, b: CharClass): boolean {
  if (a.kind === "char" && b.kind === "char") return a.ch === b.ch;
  if (a.kind === "char") return b.kind === "any" || a.ch !== "/";
  if (b.kind === "char") return a.kind === "any" || b.ch !== "/";
  return true;
}

/** Whether some string matches both patterns. */
export function patternsIntersect(a: Pattern, b: Pattern): boolean {
  // Most pairs differ in a leading literal (method, first path segment): settle those without the search.
  for (let k = 0; k < a.length && k < b.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.repeat || y.repeat || x.cls.kind !== "char" || y.cls.kind !== "char") break;
    if (x.cls.ch !== y.cls.ch) return false;
  }
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const stack: number[] = [0];
  while (stack.length > 0) {
    const state = stack.pop()!;
    if (seen[state]) continue;
    seen[state] = 1;
    const i = Math.floor(state / width);
    const j = state % width;
    if (i === a.length && j === b.length) return true;
    const ai = a[i];
    const bj = b[j];
    // A run may be empty: step past it without consuming.
    if (ai?.repeat) stack.push((i + 1) * width + j);
    if (bj?.repeat) stack.push(i * width + j + 1);
    // Consume one character both items accept; a run stays in place for more.
    if (ai && bj && classesShareACharacter(ai.cls, bj.cls)) {
      stack.push((ai.repeat ? i : i + 1) * width + (bj.repeat ? j : j + 1));
    }
  }
  return false;
}
