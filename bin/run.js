#!/usr/bin/env node
/**
 * `node bin/run.js <entry.ts> [args...]`: runs one of the project's TypeScript entry points
 * (main.ts, reports/cli.ts, security/cli.ts, client/cli.ts) compiled ahead into .m2m/build/
 * (see compiled-entry.js); the npm scripts and cdktf.json's app start through here.
 */
"use strict";
const entry = process.argv[2];
if (entry === undefined || !entry.endsWith(".ts")) {
  process.stderr.write("usage: node bin/run.js <entry.ts> [args...]\n");
  process.exit(2);
}
// The entry sees its own arguments at process.argv.slice(2), as under tsx.
process.argv.splice(2, 1);
require("./compiled-entry")
  .loadCompiled(entry.replace(/\.ts$/, "").replace(/[^A-Za-z0-9]+/g, "-"), entry)
  .then((loaded) => {
    // client/cli.ts starts on run() (it is also a library); the other entries start when loaded.
    if (typeof loaded.run === "function") loaded.run();
  })
  .catch((error) => {
    process.stderr.write(`unexpected error: ${String((error && error.message) || error).split("\n")[0]}\n`);
    process.exitCode = 1;
  });
