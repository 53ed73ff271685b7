#!/usr/bin/env node
/* The `m2m` command: client/cli.ts compiled ahead into .m2m/build/ (see compiled-entry.js); the TypeScript config it loads goes through tsx. */
"use strict";
process.argv.splice(2, 0, "client/cli.ts");
require("./run");
