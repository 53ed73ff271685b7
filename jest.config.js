/** Jest runs TypeScript through ts-jest in transpile-only mode: type errors are
 *  `npm run typecheck`'s job (tsc --noEmit), which keeps the test run fast. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 30000,
};
