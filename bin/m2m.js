#!/usr/bin/env node
/* The `m2m` command: registers tsx so the TypeScript CLI (and the TypeScript config it loads) runs as is. */
"use strict";
require("tsx/cjs");
require("../client/cli.ts").run();
