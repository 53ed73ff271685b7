/** M2M-OUT-001: the synthesized JSON holds no machine-specific absolute path. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { stringsIn } from "../terraform-json";

/** Prefixes of checkout, home and temp directories, and Windows drive paths. */
const ABSOLUTE_PATH = /(\/work\/|\/tmp\/|\/home\/|\/Users\/|\/root\/|\/private\/var\/|\/var\/folders\/|\b[A-Za-z]:\\)/;

/** The Terraform address a JSON path lies in (`aws_x.y`, `data.aws_x.y`, `output.z`, `provider.aws`) and the field within it. */
function locate(path: readonly string[]): { address: string; field: string } {
  const [block, a, b] = path;
  if (block === "resource" && path.length >= 3) return { address: `${a}.${b}`, field: path.slice(3).join(".") };
  if (block === "data" && path.length >= 3) return { address: `data.${a}.${b}`, field: path.slice(3).join(".") };
  if ((block === "output" || block === "provider") && path.length >= 2) return { address: `${block}.${a}`, field: path.slice(2).join(".") };
  return { address: path.slice(0, 3).join("."), field: path.slice(3).join(".") };
}

export const portablePathsRule: SecurityRule = {
  id: "M2M-OUT-001",
  rationale: "No absolute path in the synthesized JSON: it leaks the build machine, breaks on other machines and adds plan noise",
  resourceTypes: ["*"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const failed = new Set<string>();
    for (const { path, text } of stringsIn(json)) {
      const { address, field } = locate(path);
      if (failed.has(address)) continue;
      const match = ABSOLUTE_PATH.exec(text);
      if (match) {
        failed.add(address);
        out.fail(address, `${field || "its name"} holds an absolute path (${JSON.stringify(match[1])})`);
      } else {
        out.checked(address);
      }
    }
    return out.outcome();
  },
};
