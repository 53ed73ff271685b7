/**
 * Lets `require()` load TypeScript (the user's m2m.config.ts and what it imports) in the compiled
 * entry points, which run as plain JavaScript: each .ts file is transpiled by esbuild once and
 * the result kept in .m2m/build/ts/<hash of path and source>.js, so later starts read it back
 * instead of starting a compiler (tsx's loader cost ~50 ms per start; this costs a file read).
 * Installed only when nothing handles .ts yet (under jest or tsx, they do).
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const CACHE_DIR = path.join(__dirname, "..", ".m2m", "build", "ts");

function transpile(source, filename) {
  const key = crypto.createHash("sha1").update(`${filename}\0${source}`).digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not compiled yet
  }
  const { code } = require("esbuild").transformSync(source, { loader: "ts", format: "cjs", target: "node22", sourcefile: filename, sourcemap: "inline", logLevel: "silent" });
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const temp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, cached);
  } catch {
    // A cache is an optimisation: without it the next start compiles again.
  }
  return code;
}

function install() {
  if (require.extensions[".ts"] !== undefined) return;
  require.extensions[".ts"] = (module, filename) => {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
  };
}

module.exports = { install };
