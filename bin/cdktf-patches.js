/**
 * Source edits of cdktf's own JavaScript (each for speed, each keeping the output byte for byte), applied wherever the project's code runs from a
 * bundle or a transform (bin/compiled-entry.js for the entry points, jest.transform.js for the
 * tests), so tests synthesize the way `npm run synth` does:
 *
 *  - token stack traces: cdktf records a full stack trace (every frame, formatted) for each
 *    token it creates, to name where a token came from if resolving it fails: about a quarter
 *    of a synth, more under jest (its source-mapped stack traces). Recorded only when M2M_DEBUG is set.
 *  - lazy archiver: cdktf loads `archiver` (and its stream libraries) at start for
 *    TerraformAsset's zip archives, which this project never builds (the Lambda zip is the
 *    archive provider's): loaded on first use.
 *  - no preparing resolve: before writing a stack, cdktf resolves every element of it once
 *    just to find cross-stack references (a Reference resolved in another stack than its own
 *    gets an output and a remote-state data source), then resolves everything again to write
 *    it: the first pass is 45% of a large config's synth. This project's stacks are
 *    independent (one per environment, nothing shared), so the first pass finds nothing and
 *    is skipped; the output is byte-identical (tested on every verified config). Should a
 *    cross-stack reference ever appear, the write pass throws instead of writing a dangling
 *    reference (the guard in tfExpression.js); M2M_CDKTF_PREPARE=1 runs cdktf's pass as it was.
 *  - plain strings resolved at once: cdktf's resolve walks every key and value of every element,
 *    and for each string builds a context, joins its path and runs three token regexes. A
 *    string with no `{` (every token marker has one) that no encoded number can match resolves
 *    to itself by that same code: it is returned before any of it, and the walk over objects and
 *    arrays hands such keys and values back without building a resolve context for them. Most
 *    strings of a stack (keys included) take that path.
 *
 *  - escape scans remembered: splitting a string on its tokens, cdktf looks for the next `${`
 *    escape from every fragment's start, to the string's end when there is none; a long string
 *    with many `}` (each REST API's OpenAPI document) was scanned again for each. Where the next
 *    escape begins is remembered per string (the string never changes): same fragments.
 *
 * Each edit is a no-op (the source unchanged) when cdktf's code no longer has the expected text.
 */
"use strict";

const STACK_TRACE_FILE = /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/;
const FS_FILE = /[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/;
const STACK_FILE = /[\\/]cdktf[\\/]lib[\\/]terraform-stack\.js$/;
const RESOLVE_FILE = /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/;
const EXPRESSION_FILE = /[\\/]cdktf[\\/]lib[\\/]tfExpression\.js$/;
const ENCODING_FILE = /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]encoding\.js$/;

function withoutTokenStackTraces(source) {
  return source.replace(
    "function captureStackTrace(below) {",
    'function captureStackTrace(below) {\n    if (!process.env.M2M_DEBUG) return ["stack trace not recorded (set M2M_DEBUG=1 to record it)"];',
  );
}

function withLazyArchiver(source) {
  return source.replace('const archiver = require("archiver");', 'const archiver = (...args) => require("archiver")(...args);');
}

function withoutPreparingResolve(source) {
  return source.replace(
    "terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true));",
    "if (process.env.M2M_CDKTF_PREPARE) terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true));",
  );
}

function withCrossStackGuard(source) {
  return source.replace(
    "        // If this is a cross stack reference we will resolve to a reference within this stack.",
    "        if (!context.preparing && this.originStack && this.originStack !== resolutionStack && !this.crossStackIdentifier[stackName]) {\n" +
      '            throw new Error(`cross-stack reference to ${this.identifier} (from ${this.originStack} in ${stackName}): the stacks must stay independent; bin/cdktf-patches.js skips the pass that would wire it (M2M_CDKTF_PREPARE=1 runs it)`);\n' +
      "        }\n" +
      "        // If this is a cross stack reference we will resolve to a reference within this stack.",
  );
}

function withPlainStringFastPath(source) {
  return source
    .replace(
      'function resolve(obj, options) {\n    const prefix = options.prefix || [];',
      "// bin/cdktf-patches.js: no token marker (each has a `{`), no encoded number: resolves to itself.\n" +
        "function m2mPlainString(s) {\n" +
        '    return typeof s === "string" && s.indexOf("{") === -1 && s !== token_1.Token.STRING_MAP_TOKEN_VALUE && s !== token_1.Token.ANY_MAP_TOKEN_VALUE && !/[-|\\d|.\\+]+(e[-|\\d|.|e|E|\\+]+)/.test(s);\n' +
        "}\n" +
        "function resolve(obj, options) {\n" +
        "    if (m2mPlainString(obj)) return obj;\n" +
        "    const prefix = options.prefix || [];",
    )
    // The same answers without building a context (two closures and an options copy) first:
    // resolve() returns such strings at its first line.
    .replace(".map((x, i) => makeContext(`${i}`)[0].resolve(x))", ".map((x, i) => (m2mPlainString(x) ? x : makeContext(`${i}`)[0].resolve(x)))")
    .replace("const resolvedKey = makeContext()[0].resolve(key);", "const resolvedKey = m2mPlainString(key) ? key : makeContext()[0].resolve(key);")
    .replace("const value = makeContext(key)[0].resolve(obj[key]);", "const value = m2mPlainString(obj[key]) ? obj[key] : makeContext(key)[0].resolve(obj[key]);");
}

function withRememberedEscapeScan(source) {
  return source
    .replace(
      "class TokenString {",
      "// bin/cdktf-patches.js: where the next `${` escape begins, remembered per string. The string never\n" +
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
    )
    .replace(
      "        ESCAPE_TOKEN_END_REGEX.lastIndex = startIndex;\n        let startMatch = ESCAPE_TOKEN_BEGIN_REGEX.exec(this.str);",
      "        ESCAPE_TOKEN_END_REGEX.lastIndex = startIndex;\n        let startMatch = m2mNextEscapeBegin(this, startIndex);",
    );
}

/** The patched source of `file` (cdktf's), or undefined when the file is not one we patch. */
function patchCdktf(file, source) {
  if (STACK_TRACE_FILE.test(file)) return withoutTokenStackTraces(source);
  if (FS_FILE.test(file)) return withLazyArchiver(source);
  if (STACK_FILE.test(file)) return withoutPreparingResolve(source);
  if (EXPRESSION_FILE.test(file)) return withCrossStackGuard(source);
  if (RESOLVE_FILE.test(file)) return withPlainStringFastPath(source);
  if (ENCODING_FILE.test(file)) return withRememberedEscapeScan(source);
  return undefined;
}

/** Every file patchCdktf edits, for the bundler's onLoad filters. */
const PATCHED_FILES = [STACK_TRACE_FILE, FS_FILE, STACK_FILE, EXPRESSION_FILE, RESOLVE_FILE, ENCODING_FILE];

module.exports = { patchCdktf, PATCHED_FILES };
