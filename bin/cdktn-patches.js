/**
 * Source edits of cdktn's own JavaScript (each for speed, each keeping the output byte for byte),
 * applied wherever the project's code runs from a bundle or a transform (bin/compiled-entry.js
 * for the entry points, jest.transform.js for the tests), so tests synthesize the way
 * `npm run synth` does. Each stands for an upstream change not (yet) in cdktn; where cdktn
 * offers a switch, the switch is used instead (token creation stacks: CDKTN_DISABLE_CREATION_STACK,
 * set by bin/compiled-entry.js and jest.setup.js unless M2M_DEBUG is set).
 *
 *  - no preparing resolve: before writing a stack, cdktn resolves every element of it once
 *    just to find cross-stack references (a Reference resolved in another stack than its own
 *    gets an output and a remote-state data source), then resolves everything again to write
 *    it: the first pass is 45% of a large config's synth. This project's stacks are
 *    independent (one per environment, nothing shared), so the first pass finds nothing and
 *    is skipped; the output is byte-identical (tested on every verified config). Should a
 *    cross-stack reference ever appear, the write pass throws instead of writing a dangling
 *    reference (the guard in tfExpression.js); M2M_CDKTN_PREPARE=1 runs cdktn's pass as it was.
 *    Upstream: an App option to skip cross-stack preparation for independent stacks.
 *  - plain strings resolved at once: cdktn's resolve walks every key and value of every element,
 *    and for each string builds a context, joins its path and runs three token regexes. A
 *    string with no `{` (every token marker has one) that no encoded number can match resolves
 *    to itself by that same code: it is returned before any of it, and the walk over objects and
 *    arrays hands such keys and values back without building a resolve context for them.
 *    Upstream: the same early return in resolve().
 *  - escape scans remembered: splitting a string on its tokens, cdktn looks for the next `${`
 *    escape from every fragment's start, to the string's end when there is none; a long string
 *    with many `}` (each REST API's OpenAPI document) was scanned again for each. Where the next
 *    escape begins is remembered per string (the string never changes): same fragments.
 *    Upstream: TokenString.split scanning each escape once.
 *
 * An edit whose anchor text is not in the installed cdktn exactly once THROWS (at bundle or
 * transform time): an upgrade that moved the code fails loudly instead of silently losing an edit.
 */
"use strict";

/** `source` with its one `anchor` replaced; throws when the anchor is missing or not unique. */
function edit(source, anchor, replacement, what) {
  const at = source.indexOf(anchor);
  if (at < 0 || source.indexOf(anchor, at + 1) >= 0) {
    throw new Error(`bin/cdktn-patches.js: ${what}: ${at < 0 ? "anchor text not found" : "anchor text found more than once"} in the installed cdktn (${JSON.stringify(anchor.slice(0, 60))}...): update the edit, or drop it if cdktn now does the same`);
  }
  return source.slice(0, at) + replacement + source.slice(at + anchor.length);
}

const STACK_FILE = /[\\/]cdktn[\\/]lib[\\/]terraform-stack\.js$/;
const RESOLVE_FILE = /[\\/]cdktn[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/;
const EXPRESSION_FILE = /[\\/]cdktn[\\/]lib[\\/]tfExpression\.js$/;
const ENCODING_FILE = /[\\/]cdktn[\\/]lib[\\/]tokens[\\/]private[\\/]encoding\.js$/;

function withoutPreparingResolve(source) {
  return edit(
    source,
    "terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true));",
    "if (process.env.M2M_CDKTN_PREPARE) terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true));",
    "no preparing resolve",
  );
}

function withCrossStackGuard(source) {
  return edit(
    source,
    "        // If this is a cross stack reference we will resolve to a reference within this stack.",
    "        if (!context.preparing && this.originStack && this.originStack !== resolutionStack && !this.crossStackIdentifier[stackName]) {\n" +
      '            throw new Error(`cross-stack reference to ${this.identifier} (from ${this.originStack} in ${stackName}): the stacks must stay independent; bin/cdktn-patches.js skips the pass that would wire it (M2M_CDKTN_PREPARE=1 runs it)`);\n' +
      "        }\n" +
      "        // If this is a cross stack reference we will resolve to a reference within this stack.",
    "cross-stack guard",
  );
}

function withPlainStringFastPath(source) {
  let patched = edit(
    source,
    'function resolve(obj, options) {\n    const prefix = options.prefix || [];',
      "// bin/cdktn-patches.js: no token marker (each has a `{`), no encoded number: resolves to itself.\n" +
        "function m2mPlainString(s) {\n" +
        '    return typeof s === "string" && s.indexOf("{") === -1 && s !== token_1.Token.STRING_MAP_TOKEN_VALUE && s !== token_1.Token.ANY_MAP_TOKEN_VALUE && !/[-|\\d|.\\+]+(e[-|\\d|.|e|E|\\+]+)/.test(s);\n' +
        "}\n" +
        "function resolve(obj, options) {\n" +
        "    if (m2mPlainString(obj)) return obj;\n" +
        "    const prefix = options.prefix || [];",
    "plain strings: early return",
  );
  // The same answers without building a context (two closures and an options copy) first:
  // resolve() returns such strings at its first line.
  patched = edit(patched, ".map((x, i) => makeContext(`${i}`)[0].resolve(x))", ".map((x, i) => (m2mPlainString(x) ? x : makeContext(`${i}`)[0].resolve(x)))", "plain strings: array items");
  patched = edit(patched, "const resolvedKey = makeContext()[0].resolve(key);", "const resolvedKey = m2mPlainString(key) ? key : makeContext()[0].resolve(key);", "plain strings: keys");
  return edit(patched, "const value = makeContext(key)[0].resolve(obj[key]);", "const value = m2mPlainString(obj[key]) ? obj[key] : makeContext(key)[0].resolve(obj[key]);", "plain strings: values");
}

function withRememberedEscapeScan(source) {
  const patched = edit(
    source,
    "class TokenString {",
      "// bin/cdktn-patches.js: where the next `${` escape begins, remembered per string. The string never\n" +
        "// changes, so a scan from `from` that found it at `index` (or nowhere) holds for any later start up to\n" +
        "// `index`; without it every `}` of a long string (a REST API's document) rescanned to its end.\n" +
        "function m2mNextEscapeBegin(tokenString, startIndex) {\n" +
        "    const seen = tokenString.m2mEscapeBegin;\n" +
        "    if (seen !== undefined && startIndex >= seen.from && (seen.match === null || startIndex <= seen.match.index)) {\n" +
        "        if (seen.match !== null) ESCAPE_TOKEN_BEGIN_REGEX.lastIndex = seen.match.index + seen.match[0].length;\n" +
        "        return seen.match;\n" +
        "    }\n" +
        "    ESCAPE_TOKEN_BEGIN_REGEX.lastIndex = startIndex;\n" +
        "    const match = ESCAPE_TOKEN_BEGIN_REGEX.exec(tokenString.str);\n" +
        "    tokenString.m2mEscapeBegin = { from: startIndex, match };\n" +
        "    return match;\n" +
        "}\n" +
        "class TokenString {",
    "escape scans: the remembered scan",
  );
  return edit(
    patched,
    "        ESCAPE_TOKEN_END_REGEX.lastIndex = startIndex;\n        let startMatch = ESCAPE_TOKEN_BEGIN_REGEX.exec(this.str);",
      "        ESCAPE_TOKEN_END_REGEX.lastIndex = startIndex;\n        let startMatch = m2mNextEscapeBegin(this, startIndex);",
    "escape scans: its use",
  );
}

/** The patched source of `file` (cdktn's), or undefined when the file is not one we patch. */
function patchCdktn(file, source) {
  if (STACK_FILE.test(file)) return withoutPreparingResolve(source);
  if (EXPRESSION_FILE.test(file)) return withCrossStackGuard(source);
  if (RESOLVE_FILE.test(file)) return withPlainStringFastPath(source);
  if (ENCODING_FILE.test(file)) return withRememberedEscapeScan(source);
  return undefined;
}

/** Every file patchCdktn edits, for the bundler's onLoad filters. */
const PATCHED_FILES = [STACK_FILE, EXPRESSION_FILE, RESOLVE_FILE, ENCODING_FILE];

module.exports = { patchCdktn, PATCHED_FILES };
