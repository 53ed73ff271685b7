/**
 * The whole synthesized Terraform of every stack of the default config. The output is
 * deterministic, so nothing is redacted: a diff here is exactly what a reviewer should read.
 */
import { synthDefault } from "../support/synth";

const stacks = synthDefault();

test.each(Object.keys(stacks))("stack %s", (env) => {
  expect(stacks[env]!.json).toMatchSnapshot();
});
