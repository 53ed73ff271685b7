/**
 * Two tiers, run side by side by `npm test` (each a jest project):
 *   unit  every suite that runs in-process or spawns a short child process;
 *   slow  suites that drive external programs for tens of seconds (terraform, emulators, the
 *         CLIs end to end): listed in SLOW below, so they start first and in a worker of their own
 *         instead of queueing behind the unit suites. `npm run test:unit` runs the unit tier alone.
 * TypeScript goes through esbuild (jest.transform.js): type errors are `npm run typecheck`'s job.
 */
const SLOW = [
  "<rootDir>/__tests__/e2e/",
  "<rootDir>/__tests__/synth/",
  "<rootDir>/__tests__/workflows/",
  "<rootDir>/__tests__/security/cli.test.ts",
  "<rootDir>/__tests__/reports/report-cli.test.ts",
  "<rootDir>/__tests__/terraform/",
  "<rootDir>/__tests__/emulator/",
];

const shared = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  transform: { "^.+\\.ts$": "<rootDir>/jest.transform.js" },
};

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: "unit", testMatch: ["**/*.test.ts"], testPathIgnorePatterns: ["/node_modules/", ...SLOW] },
    { ...shared, displayName: "slow", testMatch: SLOW.map((p) => (p.endsWith("/") ? `${p}**/*.test.ts` : p)) },
  ],
};
