/**
 * Deploy scripts proven on what deploy writes. Each config form's stack (several APIs: the
 * default config; one API: all-options; per-team files) is applied to its own moto_server, its
 * `terraform output -json` turned into the outputs file exactly as `npm run deploy --
 * --outputs-file` does (bin/outputs-file.js), and the deploy job's steps that read it run as the
 * runner runs them (.github/workflows/deploy-environment.yml):
 * - the authorizer-cache flush, with an `aws` stand-in on PATH that records the call and, where
 *   the aws CLI is installed, asks the emulator for that very REST API stage (`get-stage`):
 *   the ids the script read must be the applied stack's;
 * - the smoke test (default config): secrets read from the emulator's Secrets Manager (the values
 *   Terraform wrote there); the stack's token endpoint and API stages, as its outputs name them,
 *   answered on 127.0.0.1 by the offline environment (same model and rules) seeded with the
 *   emulator's app client ids and secrets (loopback-urls.mjs; nothing leaves the machine).
 * And, by name: no script or step reads an output the stacks do not write.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { OUTPUT_NAMES } from "../../client/stack-outputs";
import { setDecisionLogSink } from "../../lambdas/scope-checker/decision-log";
import { startLocalEnvironment } from "../../local/local-environment";
import { validateConfig } from "../../model/validate";
import { withAppliedStack } from "../../verify/tiers";
import { synthesizeStacks, VERIFIED_CONFIGS, type SynthesizedStackDir } from "../../verify/verified-configs";
import { tempDir } from "../support/synth";
import { REPO_ROOT, runStep, stepOf } from "../support/workflow-steps";
import { terraformTierDescribe } from "./tier-gate";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { outputValues, writeEnvironmentOutputs } = require("../../bin/outputs-file") as {
  outputValues: (outputs: unknown, includeSensitive: boolean) => Record<string, unknown>;
  writeEnvironmentOutputs: (file: string, environment: string, values: Record<string, unknown>) => void;
};

const gate = terraformTierDescribe(true);
// The offline environment's scope-checker decisions (one per smoke check) are not this suite's output.
setDecisionLogSink(() => undefined);
const FORMS = [
  { config: "default", environment: "dev", form: "several APIs", smoke: true },
  { config: "all-options", environment: "live", form: "one API", smoke: false },
  { config: "per-team", environment: "dev", form: "per-team files", smoke: false },
] as const;
type Form = (typeof FORMS)[number];

const flushStep = stepOf("deploy-environment.yml", "deploy", (s) => s.run?.includes("flush-authorizer-cache.sh") === true);
const smokeStep = stepOf("deploy-environment.yml", "deploy", (s) => s.run?.includes("m2m smoke") === true);

// ---------------------------------------------------------------------------------------------
// Which outputs the scripts and steps read.

/** Field names a jq program reads: `.name` and `$var.name` (an outputs file's values are keyed by output name). */
function jqFields(program: string): string[] {
  return [...program.matchAll(/(?:^|[^\w])(?:\$\w+)?\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!);
}

/** Output names a shell text reads: jq programs applied to the outputs file, and `terraform output NAME`. */
function outputsReadBy(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bjq\b[^'\n]*'([^']*)'\s*"?(?:\$outputs|\$\{outputs\}|[\w./-]*outputs[\w.-]*\.json)/g)) for (const f of jqFields(m[1]!)) names.add(f);
  for (const m of text.matchAll(/\bterraform\b[^\n]*?\boutput\b(?:\s+-[\w=-]+)*\s+([a-z_][a-z0-9_]*)/g)) names.add(m[1]!);
  return [...names].sort();
}

/** Every reader: each script under .github/scripts, each workflow step that runs one inline or runs `m2m --outputs`. */
function readers(): { name: string; reads: string[] }[] {
  const list: { name: string; reads: string[] }[] = [];
  const scripts = path.join(REPO_ROOT, ".github", "scripts");
  for (const file of fs.readdirSync(scripts).sort()) list.push({ name: `.github/scripts/${file}`, reads: outputsReadBy(fs.readFileSync(path.join(scripts, file), "utf8")) });
  const workflows = path.join(REPO_ROOT, ".github", "workflows");
  for (const file of fs.readdirSync(workflows).sort()) {
    const text = fs.readFileSync(path.join(workflows, file), "utf8");
    list.push({ name: `.github/workflows/${file} (run steps)`, reads: outputsReadBy(text) });
    // `m2m token|call|smoke --outputs` reads the names client/stack-outputs.ts knows.
    if (/\bm2m\b[^\n]*--outputs\b/.test(text)) list.push({ name: `.github/workflows/${file}: m2m --outputs (client/stack-outputs.ts)`, reads: Object.values(OUTPUT_NAMES) });
  }
  return list;
}

function unwrittenReads(list: readonly { name: string; reads: readonly string[] }[], written: ReadonlySet<string>): string[] {
  return list.flatMap((r) => r.reads.filter((n) => !written.has(n)).map((n) => `${r.name} reads output "${n}", which no stack writes (they write: ${[...written].sort().join(", ")})`));
}

// ---------------------------------------------------------------------------------------------
// Running the steps against an emulator apply's outputs.

/** The real aws CLI (behind a pyenv shim, the interpreter's own), or undefined. */
function realAwsCli(): string | undefined {
  const pyenv = spawnSync("pyenv", ["which", "aws"], { encoding: "utf8" });
  if (pyenv.status === 0 && pyenv.stdout.trim()) return pyenv.stdout.trim();
  const found = spawnSync("bash", ["-c", "command -v aws"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

/** An `aws` for the flush: records its arguments; with the CLI installed, the stage it names must exist in the emulator. */
function awsStandIn(dir: string, endpoint: string, real: string | undefined): string {
  // Not dir/bin: the checkout links the project's bin/, and a stand-in written there would land in the repository.
  const bin = path.join(dir, "aws-stand-in");
  fs.mkdirSync(bin, { recursive: true });
  const check = real
    ? `if [ "$1 $2" = "apigateway flush-stage-authorizers-cache" ]; then\n  exec "${real}" apigateway get-stage "\${@:3}" --endpoint-url "${endpoint}" > /dev/null\nfi\nexit 1\n`
    : "exit 0\n";
  fs.writeFileSync(path.join(bin, "aws"), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${path.join(dir, "aws-calls")}"\n${check}`, { mode: 0o755 });
  return bin;
}

/** A directory like the deploy job's checkout: the project (linked; the config copied) beside the outputs file. */
function checkout(dir: string): void {
  for (const entry of fs.readdirSync(REPO_ROOT)) {
    if ([".git", "outputs.json", "cdktf.out", "node_modules"].includes(entry)) continue;
    // The config is a file of its own (the data reader refuses a link to one), as in a checkout.
    if (entry === "m2m.config.ts") fs.copyFileSync(path.join(REPO_ROOT, entry), path.join(dir, entry));
    else fs.symlinkSync(path.join(REPO_ROOT, entry), path.join(dir, entry));
  }
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
}

const AWS_TEST_ENV = { AWS_ACCESS_KEY_ID: "deploy-scripts", AWS_SECRET_ACCESS_KEY: "deploy-scripts", AWS_DEFAULT_REGION: "eu-west-1", AWS_EC2_METADATA_DISABLED: "true" };

interface FormRun {
  readonly outputs: Record<string, unknown>;
  /** `<rest api id>/<stage>` of every REST API stage in the state (read from the state, not the outputs). */
  readonly stages: string[];
  readonly region: string;
  readonly flush: { status: number; stdout: string; stderr: string; calls: string[] };
  readonly smoke?: { status: number; stdout: string; stderr: string };
}

async function runForm(form: Form, stack: SynthesizedStackDir, root: string, real: string | undefined): Promise<FormRun> {
  const dir = path.join(root, `${form.config}-${form.environment}`);
  fs.mkdirSync(dir, { recursive: true });
  checkout(dir);
  return withAppliedStack(stack.dir, path.join(root, "copies", `${form.config}-${form.environment}`), async ({ endpoint, outputs, copy }) => {
    const file = path.join(dir, "outputs.json");
    writeEnvironmentOutputs(file, form.environment, outputValues(outputs, false));
    const stages = copy.state().resources.filter((r) => r.mode === "managed" && r.type === "aws_api_gateway_stage")
      .flatMap((r) => r.instances.map((i) => `${String(i.attributes.rest_api_id)}/${String(i.attributes.stage_name)}`)).sort();
    const region = String(validateConfig(VERIFIED_CONFIGS[form.config]().config).environments.find((e) => e.name === form.environment)!.region);

    const bin = awsStandIn(dir, endpoint, real);
    const flush = runStep(flushStep.run!, dir, { ...AWS_TEST_ENV, M2M_ENV: form.environment, PATH: `${bin}:${process.env.PATH ?? ""}` });
    const callsFile = path.join(dir, "aws-calls");
    const calls = fs.existsSync(callsFile) ? fs.readFileSync(callsFile, "utf8").trim().split("\n") : [];
    const values = outputValues(outputs, false);
    if (!form.smoke) return { outputs: values, stages, region, flush: { ...flush, calls } };
    return { outputs: values, stages, region, flush: { ...flush, calls }, smoke: await runSmoke(form, dir, endpoint, outputValues(outputs, true)) };
  });
}

/** The smoke step against the applied stack's outputs (see the file comment for who answers what). */
async function runSmoke(form: Form, dir: string, motoEndpoint: string, outputs: Record<string, unknown>): Promise<{ status: number; stdout: string; stderr: string }> {
  const model = validateConfig(VERIFIED_CONFIGS[form.config]().config);
  const ids = outputs.client_ids as Record<string, string>;
  const secrets = outputs.client_secrets as Record<string, string>;
  const clientCredentials = new Map(Object.keys(ids).map((name) => [name, { clientId: ids[name]!, clientSecret: secrets[name]! }]));
  const env = await startLocalEnvironment({ model, environment: form.environment, port: 0, clientCredentials });
  try {
    const invokeUrls = (outputs.invoke_urls as Record<string, string> | undefined) ?? { [model.apis[0]!.name]: outputs.invoke_url as string };
    const loopback: Record<string, string> = { [outputs.token_endpoint as string]: env.tokenEndpoint };
    for (const [api, url] of Object.entries(invokeUrls)) loopback[url.replace(/\/$/, "")] = env.apis.find((a) => a.name === api)!.url;
    // The step's own text, with the deploy job's environment: Node 22 first on PATH, as setup-node gives.
    const result = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      // Asynchronous: the offline environment answering the step lives in this process.
      const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", smokeStep.run!], {
        cwd: dir,
        env: {
          PATH: `${path.join(REPO_ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`, HOME: dir, ...AWS_TEST_ENV,
          M2M_ENV: form.environment, AWS_ENDPOINT_URL_SECRETS_MANAGER: motoEndpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          NODE_OPTIONS: `--import ${pathToFileURL(path.join(__dirname, "loopback-urls.mjs")).href}`, M2M_LOOPBACK_URLS: JSON.stringify(loopback),
          npm_config_cache: path.join(dir, ".npm"), npm_config_update_notifier: "false",
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
    });
    return result;
  } finally {
    await env.close();
  }
}

gate.describe(gate.title("deploy steps on an emulator apply's real outputs, every config form"), () => {
  jest.setTimeout(900_000);
  const real = realAwsCli();
  let root: string;
  let stacks: Map<string, SynthesizedStackDir[]>;
  let runs: Promise<Map<string, { run: FormRun } | { error: Error }>>;

  beforeAll(() => {
    root = tempDir("deploy-scripts");
    stacks = new Map(FORMS.map((f) => [f.config, synthesizeStacks(f.config, VERIFIED_CONFIGS[f.config]().config, path.join(root, "synth", f.config))]));
    // One apply at a time: each is a moto_server and a provider (the machines have two cores).
    runs = (async () => {
      const done = new Map<string, { run: FormRun } | { error: Error }>();
      for (const form of FORMS) {
        const stack = stacks.get(form.config)!.find((s) => s.environment === form.environment)!;
        const started = Date.now();
        done.set(form.form, await runForm(form, stack, root, real).then((run) => ({ run }), (error: Error) => ({ error })));
        console.log(`deploy steps: ${form.config}/${form.environment} (${form.form}) applied and run in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
      return done;
    })();
  });
  afterAll(async () => {
    await runs?.catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  });

  const runOf = async (form: Form): Promise<FormRun> => {
    const outcome = (await runs).get(form.form)!;
    if ("error" in outcome) throw outcome.error;
    return outcome.run;
  };

  test("no script or workflow step reads an output the stacks do not write (named when one does)", () => {
    const written = new Set([...stacks.values()].flat().flatMap((s) => Object.keys((JSON.parse(fs.readFileSync(path.join(s.dir, "cdk.tf.json"), "utf8")) as { output?: object }).output ?? {})));
    const list = readers();
    expect(unwrittenReads(list, written)).toEqual([]);
    // The scan sees what it must: the flush reads both forms' names, the smoke step the client's.
    expect(list.find((r) => r.name.endsWith("flush-authorizer-cache.sh"))!.reads).toEqual(["invoke_url", "invoke_urls"]);
    expect(list.some((r) => r.name.includes("deploy-environment.yml: m2m --outputs"))).toBe(true);
    // And it names a script that reads an output nobody writes.
    const stale = [{ name: "stale.sh", reads: outputsReadBy(`url="$(jq -r --arg env "$e" '.[$env].api_url' "$outputs")"`) }];
    expect(unwrittenReads(stale, written)).toEqual([expect.stringMatching(/^stale\.sh reads output "api_url", which no stack writes/)]);
  });

  test.each(FORMS.map((f) => [f.form, f] as const))("%s: the flush step flushes every API stage the apply created", async (_form, form) => {
    const run = await runOf(form);
    expect(run.flush.stderr).toBe("");
    expect(run.flush.status).toBe(0);
    expect(run.stages.length).toBeGreaterThan(0);
    // Exactly the state's stages: ids from the applied REST APIs, not from the outputs.
    expect(run.flush.calls.sort()).toEqual(
      run.stages.map((s) => { const [id, stage] = s.split("/"); return `apigateway flush-stage-authorizers-cache --rest-api-id ${id} --stage-name ${stage} --region ${run.region}`; }).sort(),
    );
    if (!real) console.warn("aws CLI absent: the flush's stage ids were recorded, not looked up in the emulator");
  });

  test("several APIs: the smoke step passes against the default config's emulator outputs", async () => {
    const run = await runOf(FORMS[0]);
    expect(Object.keys(run.outputs)).toEqual(expect.arrayContaining([OUTPUT_NAMES.invokeUrls, OUTPUT_NAMES.tokenEndpoint, OUTPUT_NAMES.clientSecretArns]));
    console.log(`smoke step: exit ${run.smoke!.status}\n${run.smoke!.stdout.split("\n").slice(-3).join("\n")}\n${run.smoke!.stderr.split("\n").slice(-5).join("\n")}`);
    expect(run.smoke!.stderr).not.toMatch(/Error|error:/);
    expect(run.smoke!.status).toBe(0);
  });
});
