/**
 * CODEOWNERS: the committed .github/CODEOWNERS holds, for the default config and for every
 * other config that has a section there, exactly the section `npm run codeowners` generates
 * today (regenerated here in memory from the real configs, loaded as the commands load them).
 * A config change that moves ownership (a new team file, new owners, a new handler) without
 * regenerating fails here, naming the command to run.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfigFile } from "../../model/load-config";
import { validateConfig } from "../../model/validate";
import { beginMarker, CODEOWNERS_FILE, codeownersCommand, codeownersSection, currentCodeownersSection, withCodeownersSection } from "../../reports/codeowners";
import defaultConfig from "../../m2m.config";

const ROOT = resolve(__dirname, "..", "..");
const committed = readFileSync(join(ROOT, CODEOWNERS_FILE), "utf8");

function modelAt(configFile: string) {
  return validateConfig(loadConfigFile(join(ROOT, configFile)));
}

/** The configs that have a section in the committed file (named in their BEGIN markers). */
function sectionConfigs(text: string): string[] {
  return [...text.matchAll(/^# BEGIN cognito-m2m owners of (\S+) /gm)].map((m) => m[1]!);
}

describe("the committed .github/CODEOWNERS", () => {
  it("has the default config's section and the per-team example's", () => {
    expect(sectionConfigs(committed)).toEqual(expect.arrayContaining(["m2m.config.ts", "examples/per-team/m2m.config.ts"]));
  });

  it("is in sync with every config it has a section for (else: run the command named)", () => {
    const stale = sectionConfigs(committed).filter(
      (config) => currentCodeownersSection(committed, config)?.join("\n") !== codeownersSection(modelAt(config), config).join("\n"),
    );
    expect(stale.map((config) => `${CODEOWNERS_FILE} is out of date for ${config}: run ${codeownersCommand(config)}`)).toEqual([]);
  });

  it("`npm run codeowners -- --check` agrees (the command CI and a developer run)", () => {
    const run = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "codeowners.ts"), "--check", "--config", "examples/per-team/m2m.config.ts"], { cwd: ROOT, encoding: "utf8" });
    expect([run.status, run.stdout.trim()]).toEqual([0, "codeowners: .github/CODEOWNERS is in sync with examples/per-team/m2m.config.ts"]);
  });
});

describe("the section a config implies", () => {
  it("per-team layout: the main config and the team-file directory to the platform, each team file to its API's owners", () => {
    expect(codeownersSection(modelAt("examples/per-team/m2m.config.ts"), "examples/per-team/m2m.config.ts").slice(1, -1)).toEqual([
      "/examples/per-team/m2m.config.ts @acme/platform",
      // Before the team files: the last matching line wins, so a NEW team file (an API being onboarded) falls to the platform.
      "/examples/per-team/apis/ @acme/platform",
      "/examples/per-team/apis/invoices.m2m.ts @acme/billing-team",
      "/examples/per-team/apis/orders.m2m.ts @acme/orders-team",
    ]);
  });

  it("a backend handler file goes to its API's owners; one shared by two APIs to both teams", () => {
    const config = structuredClone(defaultConfig) as any;
    config.apis[0].routes.push({ method: "GET", path: "/refunds", scopes: ["read"], backend: { type: "lambda", handler: "backends/payments.ts#handler" } });
    const lines = codeownersSection(validateConfig(config), "m2m.config.ts");
    expect(lines).toContain("/backends/payments.ts @acme/content-team @acme/payments-team");
    expect(lines).toContain("/m2m.config.ts @acme/platform");
  });

  it("changes when an API's owners change, so the sync test catches an owner change left unregenerated", () => {
    const config = structuredClone(defaultConfig) as any;
    config.apis[1].owners = ["@acme/treasury"];
    const changed = codeownersSection(validateConfig(config), "m2m.config.ts");
    expect(changed).toContain("/backends/payments.ts @acme/treasury");
    expect(changed).not.toEqual(currentCodeownersSection(committed, "m2m.config.ts"));
  });

  it("the one-API form (no owners): no ownership line at all rather than lines that unassign files", () => {
    const model = modelAt("__tests__/fixtures/single-api.config.ts");
    expect(codeownersSection(model, "__tests__/fixtures/single-api.config.ts").slice(1, -1)).toEqual([]);
  });
});

describe("writing the section", () => {
  const model = modelAt("examples/per-team/m2m.config.ts");
  const config = "examples/per-team/m2m.config.ts";

  it("replaces only its own section, keeps hand-written lines and other configs' sections, and is idempotent", () => {
    const before = ["* @acme/platform", "/docs/ @acme/writers", "", beginMarker(config), "/stale @nobody", `# END cognito-m2m owners of ${config}`, "/LICENSE @acme/legal", ""].join("\n");
    const after = withCodeownersSection(before, model, config);
    expect(after.split("\n").slice(0, 3)).toEqual(["* @acme/platform", "/docs/ @acme/writers", ""]);
    expect(after).not.toContain("/stale @nobody");
    expect(after).toContain("/examples/per-team/apis/orders.m2m.ts @acme/orders-team");
    expect(after.trimEnd().split("\n").at(-1)).toBe("/LICENSE @acme/legal");
    expect(withCodeownersSection(after, model, config)).toBe(after);
  });

  it("appends a section the file does not have yet", () => {
    const after = withCodeownersSection("* @acme/platform\n", model, config);
    expect(after.startsWith("* @acme/platform\n\n# BEGIN")).toBe(true);
    expect(currentCodeownersSection(after, config)).toEqual(codeownersSection(model, config));
  });
});
