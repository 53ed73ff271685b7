/** docs/terraform-provider-versions.md lists exactly the argument differences of today's stacks. */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/synth";
import { currentDifferencesTable } from "../../verify/provider-differences";
import { terraformTierDescribe } from "./tier-gate";

const gate = terraformTierDescribe(false);

gate.describe(gate.title("provider version record"), () => {
  jest.setTimeout(120_000);
  test("the generated table in docs/terraform-provider-versions.md matches the schemas", async () => {
    const dir = tempDir("provider-diff");
    try {
      const table = await currentDifferencesTable(dir);
      const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "terraform-provider-versions.md"), "utf8");
      const generated = /<!-- generated:begin -->\n([\s\S]*?)\n?<!-- generated:end -->/.exec(doc)?.[1]?.trim();
      expect(generated).toBe(table); // regenerate: npx tsx verify/provider-differences.ts
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
