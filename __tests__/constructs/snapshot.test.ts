/**
 * The whole synthesized Terraform of every stack of the one-API form (the fixture that was the
 * default config) and of the default config (several APIs in one pool). The output is
 * deterministic, so nothing is redacted: a diff here is exactly what a reviewer should read.
 * The API's OpenAPI document is one JSON string in the put's `body`; the snapshot shows it
 * parsed (and the exact string beside it in the determinism test), so a route change reads as
 * the few lines it changes, not as one rewritten line.
 */
import defaultConfig from "../../m2m.config";
import { synthConfig, synthDefault, type SynthesizedStack } from "../support/synth";

const stacks = synthDefault();
const multiApiStacks = synthConfig(defaultConfig);

function readable(stack: SynthesizedStack) {
  const json = structuredClone(stack.json);
  for (const put of Object.values(json.resource.aws_api_gateway_rest_api_put ?? {})) put.body = JSON.parse(put.body as string);
  return json;
}

test.each(Object.keys(stacks))("stack %s", (env) => {
  expect(readable(stacks[env]!)).toMatchSnapshot();
});

test.each(Object.keys(multiApiStacks))("several APIs: stack %s", (env) => {
  expect(readable(multiApiStacks[env]!)).toMatchSnapshot();
});
