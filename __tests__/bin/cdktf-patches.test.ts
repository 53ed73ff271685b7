/**
 * bin/cdktf-patches.js against the installed cdktf: each edit finds its text (a cdktf upgrade
 * that moved it would silently lose the speed-up), and the patched files still work: no token
 * stack trace unless M2M_DEBUG, archiver loaded on first use. Jest runs cdktf through the same
 * edits (jest.config.js), so the synth under test is the synth users run.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

const { patchCdktf } = require("../../bin/cdktf-patches") as { patchCdktf: (file: string, source: string) => string | undefined };

const cdktfFile = (relative: string) => require.resolve(`cdktf/lib/${relative}`);

describe("cdktf patches", () => {
  it.each(["tokens/private/stack-trace.js", "private/fs.js"])("%s: the edit finds its text in the installed cdktf", (relative) => {
    const file = cdktfFile(relative);
    const source = readFileSync(file, "utf8");
    const patched = patchCdktf(file, source);
    expect(patched).toBeDefined();
    expect(patched).not.toBe(source);
  });

  it("leaves every other file alone", () => {
    expect(patchCdktf(cdktfFile("app.js"), "x")).toBeUndefined();
    expect(patchCdktf(path.join("lib", "tokens", "private", "stack-trace.ts"), "x")).toBeUndefined();
  });

  it("under jest, cdktf records no token stack trace unless M2M_DEBUG is set", () => {
    const { captureStackTrace } = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };
    expect(captureStackTrace()).toEqual(["stack trace not recorded (set M2M_DEBUG=1 to record it)"]);
    process.env.M2M_DEBUG = "1";
    try {
      expect(captureStackTrace().length).toBeGreaterThan(1);
    } finally {
      delete process.env.M2M_DEBUG;
    }
  });
});
