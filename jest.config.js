/**
 * Tiers (each a jest project; README "What is verified, and how"):
 *   unit       every suite that runs in-process or spawns a short child process;
 *   e2e        suites that drive the project's own programs for seconds each (the CLIs end to
 *              end, synth, workflows' scripts, headless Chromium): listed in E2E below.
 *   terraform  everything that runs real Terraform, the moto emulator, or Lambda bundles loaded
 *              the way the Lambda runtime loads them: plan, emulator apply + re-plan, change
 *              transitions, runtime. Minutes on 2 cores, so NOT in `npm test` (the development
 *              loop, unit + e2e); `npm run test:terraform` runs it, and `.ci/run` on every landing.
 * Jest starts the suites that took longest last time first. Workers: one per core ("100%").
 * TypeScript goes through esbuild (jest.transform.js): type errors are `npm run typecheck`'s job.
 * Four cdktn files go through it too, for the edits `npm run synth` runs with (bin/cdktn-patches.js).
 */
const E2E = [
  "<rootDir>/__tests__/e2e/",
  "<rootDir>/__tests__/synth/",
  "<rootDir>/__tests__/workflows/",
  "<rootDir>/__tests__/security/cli.test.ts",
  "<rootDir>/__tests__/reports/report-cli.test.ts",
  "<rootDir>/__tests__/reports/model-input.test.ts",
  "<rootDir>/__tests__/reports/platform-html.test.ts",
  "<rootDir>/__tests__/security/plan-guard-bypasses.test.ts",
  "<rootDir>/__tests__/secret-rotation/",
];

const TERRAFORM = [
  "<rootDir>/__tests__/terraform/",
  "<rootDir>/__tests__/runtime/",
  "<rootDir>/__tests__/constructs/account-role-handover.test.ts",
  "<rootDir>/__tests__/workflows/sanitize-emulator-state.test.ts",
];
const asMatch = (paths) => paths.map((p) => (p.endsWith("/") ? `${p}**/*.test.ts` : p));

// cdktn's own switch for its token creation stack traces (a quarter of a synth), as
// bin/compiled-entry.js sets it for the entry points; jest's workers inherit it.
if (!process.env.M2M_DEBUG && process.env.CDKTN_DISABLE_CREATION_STACK === undefined) process.env.CDKTN_DISABLE_CREATION_STACK = "1";

const CDKTN_PATCHED = "cdktn/lib/(tokens/private/resolve|tokens/private/encoding|terraform-stack|tfExpression)\\.js$";

const shared = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  transform: { "^.+\\.ts$": "<rootDir>/jest.transform.js", [CDKTN_PATCHED]: "<rootDir>/jest.transform.js" },
  transformIgnorePatterns: [`/node_modules/(?!${CDKTN_PATCHED})`],
};

module.exports = {
  // A project cannot set its own timeout: the terraform tier (run alone) gets minutes per test.
  testTimeout: process.env.M2M_TERRAFORM_TIERS === "1" ? 600000 : 30000,
  maxWorkers: "100%",
  projects: [
    { ...shared, displayName: "unit", testMatch: ["**/*.test.ts"], testPathIgnorePatterns: ["/node_modules/", ...E2E, ...TERRAFORM] },
    { ...shared, displayName: "e2e", testMatch: asMatch(E2E), testPathIgnorePatterns: ["/node_modules/", ...TERRAFORM] },
    // Only when asked for (npm run test:terraform): `npm test` runs the two above.
    ...(process.env.M2M_TERRAFORM_TIERS === "1" ? [{ ...shared, displayName: "terraform", testMatch: asMatch(TERRAFORM) }] : []),
  ],
};
