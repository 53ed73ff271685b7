/** The "can this IAM pattern match a request of that route" test behind cache-safe Deny statements. */
import { globPattern, patternsIntersect, requestPattern, type RequestSegment } from "../../lambdas/scope-checker/arn-glob";

const lit = (text: string): RequestSegment => ({ kind: "literal", text });
const param: RequestSegment = { kind: "parameter", greedy: false };
const greedy: RequestSegment = { kind: "parameter", greedy: true };
const overlaps = (glob: string, method: string, segments: RequestSegment[]) => patternsIntersect(globPattern(glob), requestPattern(method, segments));

it.each([
  // `*` spans `/`: a path-parameter pattern reaches routes nested below it.
  ["GET/orders/*", "GET", [lit("orders"), param, lit("refunds")], true],
  ["GET/orders/*", "GET", [lit("orders"), param], true],
  ["GET/orders/*", "POST", [lit("orders"), param], false],
  ["GET/orders/*", "GET", [lit("orders")], false],
  // `*` may be empty: `GET/*` (a greedy root route) matches the root request `GET/`.
  ["GET/*", "GET", [], true],
  // A nested pattern never matches a shallower route: a `{param}` value holds no `/`.
  ["GET/orders/*/refunds", "GET", [lit("orders"), param], false],
  // ...but does match a greedy one, whose value may hold `/`.
  ["GET/orders/*/refunds", "GET", [lit("orders"), greedy], true],
  // An ANY route's method wildcard can swallow path segments too.
  ["*/admin/*", "GET", [lit("orders"), param, lit("refunds")], true],
  ["*/admin/*", "GET", [lit("orders"), param], false],
  ["*/admin/*", "GET", [lit("orders")], false],
  // An ANY route's requests use any method word.
  ["GET/things", "ANY", [lit("things")], true],
  ["*/things", "ANY", [lit("things")], true],
  ["GET/other", "ANY", [lit("things")], false],
  ["GET/things/*", "ANY", [lit("things")], false],
  // `?` is exactly one character.
  ["GET/a?", "GET", [lit("ab")], true],
  ["GET/a?", "GET", [lit("abc")], false],
  ["GET/a?", "GET", [lit("a")], false],
  // Literal segments must agree exactly.
  ["GET/orders", "GET", [lit("order")], false],
  ["GET/orders", "GET", [lit("orders")], true],
] as const)("%s vs %s %j -> %s", (glob, method, segments, expected) => {
  expect(overlaps(glob, method, [...segments])).toBe(expected);
});
