/**
 * The posture diff (issue 21, hole 6): every change of an environment's kind or protections,
 * from the validated models (defaults applied), marked weaker where it loosens one.
 */
import defaultConfig from "../../m2m.config";
import { validateConfig } from "../../model/validate";
import { diffPosture, renderPostureChanges } from "../../reports/posture-diff";

const base = validateConfig(defaultConfig);
const withProd = (change: Record<string, unknown>) =>
  validateConfig({ ...defaultConfig, environments: defaultConfig.environments.map((e) => (e.name === "prod" ? { ...e, ...change } : e)) });

test("no change, no section", () => {
  expect(diffPosture(base, validateConfig(defaultConfig))).toEqual([]);
  expect(renderPostureChanges([], ["@acme/platform"])).toBe("");
});

test("tightening is listed but not weaker; loosening is weaker", () => {
  const tighter = diffPosture(base, withProd({ allowedSourceIps: ["203.0.113.0/24"] }));
  expect(tighter).toEqual([{ environment: "prod", setting: "source-IP allow-list", before: "none (any address)", after: "203.0.113.0/24", weaker: false }]);
  expect(diffPosture(validateConfig({ ...defaultConfig, environments: defaultConfig.environments.map((e) => (e.name === "prod" ? { ...e, allowedSourceIps: ["203.0.113.0/24"] } : e)) }), base)).toEqual([
    { environment: "prod", setting: "source-IP allow-list", before: "203.0.113.0/24", after: "none (any address)", weaker: true },
  ]);
});

test("a client's token validity and rotation are posture too", () => {
  const head = validateConfig({ ...defaultConfig, clients: defaultConfig.clients.map((c) => (c.name === "billing" ? { ...c, accessTokenValidity: { value: 1, unit: "days" } } : c)) });
  expect(diffPosture(base, head)).toEqual(
    expect.arrayContaining([{ environment: "prod", setting: "client billing: access token validity", before: "15 minutes", after: "1 days", weaker: true }]),
  );
  const rendered = renderPostureChanges(diffPosture(base, head), ["@acme/platform"]);
  expect(rendered).toContain("approval needed from `@acme/platform`");
  expect(rendered).toContain("> - `prod`: client billing: access token validity 15 minutes → 1 days **(weaker)**");
});
