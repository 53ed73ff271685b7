/**
 * The README's "five-minute offline tour", command by command, as written: each line of its code
 * block is read from README.md (nothing is copied into this test), `npm run dev` is started, and
 * every `npm run m2m -- ...` / `npm run report` line runs against it. What the test adds to a line
 * is only where files go (the credentials file and the report directory, in a temporary folder,
 * so the test leaves the working tree alone). Every line must succeed, except the one the README
 * says is refused, which must exit 1 and say why. The `m2m` CLI guide's examples
 * (docs/offline-and-cli.md) run the same way, those that need no deployed stack or AWS account.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runNode, startDev, type RunningDev } from "../support/node-child";

const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The tour's command lines, without comments and the leading `npm run`. */
function tourCommands(): { line: string; script: string; args: string[]; refused: boolean }[] {
  const section = README.slice(README.indexOf("## A five-minute offline tour"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .split("\n")
    .filter((l) => l.startsWith("npm run "))
    .map((line) => {
      const [command, comment = ""] = line.split(/\s+#\s/);
      const words = (command!.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'(.*)'$/, "$1"));
      const [, , script, ...rest] = words;
      return { line, script: script!, args: rest[0] === "--" ? rest.slice(1) : rest, refused: /refused/.test(comment) };
    });
}

/** docs/offline-and-cli.md's `m2m` examples that run offline (--help, or against --local). */
function cliGuideCommands(): string[][] {
  const guide = readFileSync(join(ROOT, "docs", "offline-and-cli.md"), "utf8");
  const section = guide.slice(guide.indexOf("## The `m2m` CLI"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .split("\n")
    .map((line) => line.split(/\s+#\s/)[0]!.trim())
    .filter((line) => line.startsWith("m2m ") && (line.includes("--local") || line === "m2m --help"))
    .map((line) => (line.match(/'[^']*'|\S+/g) ?? []).slice(1).map((w) => w.replace(/^'(.*)'$/, "$1")));
}

let dir: string;
let dev: RunningDev | undefined;
const commands = tourCommands();
const guideCommands = cliGuideCommands();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "m2m-tour-"));
  const first = commands[0]!;
  expect(first.script).toBe("dev");
  dev = await startDev([...first.args, "--local-file", join(dir, "local.json")]);
}, 30000);

afterAll(async () => {
  await dev?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the tour starts the offline environment, then calls it: token, calls, a refusal, smoke, report", () => {
  expect(commands.map((c) => c.script)).toEqual(["dev", "m2m", "m2m", "m2m", "m2m", "m2m", "report"]);
  expect(commands.filter((c) => c.refused)).toHaveLength(1);
});

test.each(commands.slice(1).map((c) => [c.line, c] as const))("%s", async (_line, command) => {
  const entry = command.script === "m2m" ? [join(ROOT, "bin", "m2m.js"), ...command.args, "--local-file", join(dir, "local.json")] : [join(ROOT, "bin", "run.js"), "reports/cli.ts", ...command.args, "--out", join(dir, "reports")];
  const result = await runNode(entry, { ...process.env, M2M_CLIENT_ID: "", M2M_CLIENT_SECRET: "", M2M_TOKEN_ENDPOINT: "", M2M_API_URL: "" });
  if (command.refused) {
    expect(result.code).toBe(1);
    // The refusal says which scope the route needs and what the client holds.
    expect(result.stderr).toMatch(/^m2m: refused: GET \/premium on content needs content:read;.*client "3rd-party" holds content:hello-world/m);
  } else {
    expect([result.code, result.stderr]).toEqual([0, expect.not.stringMatching(/error|refused/i)]);
  }
}, 30000);

test("the CLI guide's offline examples are found", () => {
  expect(guideCommands.map((args) => args[0])).toEqual(["--help", "token", "call", "call", "call", "smoke"]);
});

test.each(guideCommands.map((args) => [`m2m ${args.join(" ")}`, args] as const))("docs/offline-and-cli.md: %s", async (_line, args) => {
  const local = args.includes("--local") ? ["--local-file", join(dir, "local.json")] : [];
  const result = await runNode([join(ROOT, "bin", "m2m.js"), ...args, ...local], { ...process.env, M2M_CLIENT_ID: "", M2M_CLIENT_SECRET: "", M2M_TOKEN_ENDPOINT: "", M2M_API_URL: "" });
  expect([result.code, result.stderr]).toEqual([0, ""]);
}, 30000);
