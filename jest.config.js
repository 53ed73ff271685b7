/**
 * Two tiers, run side by side by `npm test` (each a jest project, one shared worker pool):
 *   unit  every suite that runs in-process or spawns a short child process;
 *   slow  suites that drive external programs for seconds each (the CLIs end to end, terraform,
 *         emulators): listed in SLOW below. Jest starts the suites that took longest last time
 *         first, so the slow tier does not trail at the end. `npm run test:unit` runs the unit
 *         tier alone (`jest --selectProjects slow` the other).
 * Workers: one per core ("100%"; jest's default leaves one core idle, half of a 2-core machine,
 * while most slow suites wait on child processes). TypeScript goes through esbuild
 * (jest.transform.js): type errors are `npm run typecheck`'s job. Four cdktn files go through it
 * too, for the edits `npm run synth` runs with (bin/cdktn-patches.js).
 */
const SLOW = [
  "<rootDir>/__tests__/e2e/",
  "<rootDir>/__tests__/synth/",
  "<rootDir>/__tests__/workflows/",
  "<rootDir>/__tests__/security/cli.test.ts",
  "<rootDir>/__tests__/reports/report-cli.test.ts",
  "<rootDir>/__tests__/terraform/",
  "<rootDir>/__tests__/constructs/account-role-handover.test.ts",
  "<rootDir>/__tests__/emulator/",
  "<rootDir>/__tests__/reports/model-input.test.ts",
  "<rootDir>/__tests__/reports/platform-html.test.ts",
  "<rootDir>/__tests__/security/plan-guard-bypasses.test.ts",
  "<rootDir>/__tests__/secret-rotation/",
];

/**
 * The change-transition chains (apply A, then plan, apply and check each B, in order: one
 * serial chain of about five minutes) are not part of `npm test`, which is the development
 * loop; `npm run test:transitions` runs them, and `.ci/run` runs them after `npm test` on every
 * landing (see README, "What is verified, and how").
 */
const TRANSITIONS = "<rootDir>/__tests__/terraform/transitions.test.ts";
const withTransitions = process.env.M2M_TRANSITIONS === "1";

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
  testTimeout: 30000,
  maxWorkers: "100%",
  projects: [
    { ...shared, displayName: "unit", testMatch: ["**/*.test.ts"], testPathIgnorePatterns: ["/node_modules/", ...SLOW] },
    { ...shared, displayName: "slow", testMatch: SLOW.map((p) => (p.endsWith("/") ? `${p}**/*.test.ts` : p)), testPathIgnorePatterns: ["/node_modules/", TRANSITIONS] },
    ...(withTransitions ? [{ ...shared, displayName: "transitions", testMatch: [TRANSITIONS] }] : []),
  ],
};
