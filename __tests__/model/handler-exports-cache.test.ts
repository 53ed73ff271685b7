/**
 * Handler export lists kept between runs: a fresh process (a fresh module registry here) answers
 * from the kept list without starting esbuild while every file esbuild read is unchanged, and
 * asks esbuild again when any of them changed, a re-exported file included.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

type Module = typeof import("../../model/handler-exports");

/** handler-exports loaded afresh (no in-process memo), with esbuild replaced when `esbuild` is given. */
function freshModule(esbuild?: object): Module {
  // handler-exports requires esbuild at its first build, so the mock stays registered until the next call.
  if (esbuild) jest.doMock("esbuild", () => esbuild);
  else jest.dontMock("esbuild");
  let loaded!: Module;
  jest.isolateModules(() => {
    loaded = require("../../model/handler-exports") as Module;
  });
  return loaded;
}

const refusingEsbuild = { buildSync: () => { throw new Error("esbuild must not run on a kept result"); } };

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-handler-exports-"));
  fs.writeFileSync(path.join(root, "handler.ts"), 'export { refund } from "./refund";\nexport const handler = async () => ({ statusCode: 200 });\n');
  fs.writeFileSync(path.join(root, "refund.ts"), "export const refund = async () => ({ statusCode: 202 });\n");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test("an unchanged handler is answered from the kept list, esbuild not started", () => {
  expect(freshModule().handlerFileFacts("handler.ts", root)).toEqual({ kind: "ok", exports: ["handler", "refund"] });
  expect(freshModule(refusingEsbuild).handlerFileFacts("handler.ts", root)).toEqual({ kind: "ok", exports: ["handler", "refund"] });
});

test("a touched file with the same content still counts as unchanged", () => {
  freshModule().handlerFileFacts("handler.ts", root);
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(root, "refund.ts"), later, later);
  expect(freshModule(refusingEsbuild).handlerFileFacts("handler.ts", root)).toEqual({ kind: "ok", exports: ["handler", "refund"] });
});

test("a changed re-exported file means esbuild is asked again, and sees the change", () => {
  freshModule().handlerFileFacts("handler.ts", root);
  fs.writeFileSync(path.join(root, "refund.ts"), "export const refund = async () => ({ statusCode: 202 });\nexport const refundAll = async () => ({ statusCode: 202 });\n");
  // The stand-in's refusal is what comes back: the kept list was not used.
  expect(freshModule(refusingEsbuild).handlerFileFacts("handler.ts", root)).toEqual({ kind: "unbuildable", problem: "esbuild must not run on a kept result" });
  // refundAll is not re-exported, so the list is the same, but only esbuild could tell.
  expect(freshModule().handlerFileFacts("handler.ts", root)).toEqual({ kind: "ok", exports: ["handler", "refund"] });
  fs.writeFileSync(path.join(root, "handler.ts"), 'export * from "./refund";\n');
  expect(freshModule().handlerFileFacts("handler.ts", root)).toEqual({ kind: "ok", exports: ["refund", "refundAll"] });
});
