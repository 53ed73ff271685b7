/**
 * The whole synthesized Terraform of every stack of the default config. The output is
 * deterministic, so nothing is redacted: a diff here is exactly what a reviewer should read.
 * The API's OpenAPI document is one JSON string in the put's `body`; the snapshot shows it
 * parsed (and the exact string beside it in the determinism test), so a route change reads as
 * the few lines it changes, not as one rewritten line.
 */
import { synthDefault } from "../support/synth";

const stacks = synthDefault();

test.each(Object.keys(stacks))("stack %s", (env) => {
  const json = structuredClone(stacks[env]!.json);
  for (const put of Object.values(json.resource.aws_api_gateway_rest_api_put ?? {})) put.body = JSON.parse(put.body as string);
  expect(json).toMatchSnapshot();
});
