/**
 * Two source edits of cdktf's own JavaScript, applied wherever the project's code runs from a
 * bundle or a transform (bin/compiled-entry.js for the entry points, jest.transform.js for the
 * tests), so tests synthesize the way `npm run synth` does:
 *
 *  - token stack traces: cdktf records a full stack trace (every frame, formatted) for each
 *    token it creates, to name where a token came from if resolving it fails: about a quarter
 *    of a synth, more under jest (its source-mapped stack traces). Recorded only when M2M_DEBUG is set.
 *  - lazy archiver: cdktf loads `archiver` (and its stream libraries) at start for
 *    TerraformAsset's zip archives, which this project never builds (the Lambda zip is the
 *    archive provider's): loaded on first use.
 *
 * Each edit is a no-op (the source unchanged) when cdktf's code no longer has the expected text.
 */
"use strict";

const STACK_TRACE_FILE = /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/;
const FS_FILE = /[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/;

function withoutTokenStackTraces(source) {
  return source.replace(
    "function captureStackTrace(below) {",
    'function captureStackTrace(below) {\n    if (!process.env.M2M_DEBUG) return ["stack trace not recorded (set M2M_DEBUG=1 to record it)"];',
  );
}

function withLazyArchiver(source) {
  return source.replace('const archiver = require("archiver");', 'const archiver = (...args) => require("archiver")(...args);');
}

/** The patched source of `file` (cdktf's), or undefined when the file is not one we patch. */
function patchCdktf(file, source) {
  if (STACK_TRACE_FILE.test(file)) return withoutTokenStackTraces(source);
  if (FS_FILE.test(file)) return withLazyArchiver(source);
  return undefined;
}

module.exports = { patchCdktf, STACK_TRACE_FILE, FS_FILE };
