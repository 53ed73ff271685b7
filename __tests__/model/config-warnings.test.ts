/** Legal but rarely meant: warned about by every command, never fatal; and the tag keys the project owns. */
import defaultConfig from "../fixtures/single-api.config";
import { configWarnings } from "../../model/config-warnings";
import { PROJECT_TAG_KEYS } from "../../model/cross-checks";
import { formatProblem } from "../../model/problems";
import { validateConfig } from "../../model/validate";
import { synthDefault } from "../support/synth";

const copy = () => JSON.parse(JSON.stringify(defaultConfig));

test("the default config gives no warning", () => {
  expect(configWarnings(validateConfig(defaultConfig))).toEqual([]);
});

test("an empty clients list is valid, and warned about once", () => {
  const config = copy();
  config.clients = [];
  config.routes = config.routes.filter((r: { authorizer?: string }) => r.authorizer !== "scope-checker");
  expect(configWarnings(validateConfig(config)).map(formatProblem)).toEqual([
    "clients: is empty: no caller can get a token, so the API refuses every request (add a client, see README) (got [])",
  ]);
});

test("an environment whose clients are all disabled is warned about by name", () => {
  const config = copy();
  config.clients = config.clients.map((c: Record<string, unknown>) => ({ ...c, overrides: { ...(c.overrides as object), prod: { disabled: true } } }));
  expect(configWarnings(validateConfig(config)).map(formatProblem)).toEqual([
    'environments[1]: has no enabled client ("prod" refuses every request; check the clients\' environments and disabled fields) (got "prod")',
  ]);
});

test("PROJECT_TAG_KEYS are exactly the default tags the stacks set beyond the user's", () => {
  const stacks = synthDefault();
  const userTags = new Set(Object.keys(validateConfig(defaultConfig).environments.find((e) => e.name === "prod")!.tags));
  const provider = (stacks.prod!.json as unknown as { provider: { aws: { default_tags: { tags: Record<string, string> }[] }[] } }).provider.aws[0]!;
  expect(Object.keys(provider.default_tags[0]!.tags).filter((k) => !userTags.has(k)).sort()).toEqual([...PROJECT_TAG_KEYS].sort());
});
