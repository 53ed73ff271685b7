/** The report files as a set: deterministic, portable, and written without leftovers from earlier runs. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACCESS_DIFF_FILE, CENTRAL_VIEW_FILE, environmentReportFiles, writeReportFiles } from "../../reports/report-files";
import multiApiConfig from "../../m2m.config";
import { validateConfig } from "../../model/validate";
import { modelOf } from "./config-fixtures";

describe("report files", () => {
  const files = environmentReportFiles(modelOf());

  it("are the same bytes on every run", () => {
    expect(environmentReportFiles(modelOf())).toEqual(files);
  });

  it("carry no absolute paths, dates or times", () => {
    for (const file of files) {
      expect([file.path, file.content]).not.toEqual([file.path, expect.stringMatching(/(\/(home|tmp|work|Users|root)\/)|[A-Z]:\\\\/)]);
      expect([file.path, file.content]).not.toEqual([file.path, expect.stringMatching(/\b20\d\d-\d\d-\d\d\b|\d\d:\d\d:\d\d/)]);
    }
  });

  it("parse where they are JSON", () => {
    for (const file of files.filter((f) => f.path.endsWith(".json"))) expect(() => JSON.parse(file.content)).not.toThrow();
  });

  it("replace each environment's directory whole, drop retired environments and a stale access diff, keep the rest", () => {
    const out = mkdtempSync(join(tmpdir(), "m2m-report-files-"));
    try {
      mkdirSync(join(out, "dev"), { recursive: true });
      writeFileSync(join(out, "dev", "old-report.md"), "stale");
      writeFileSync(join(out, ACCESS_DIFF_FILE), "stale");
      mkdirSync(join(out, "retired-env"));
      writeFileSync(join(out, "retired-env", "access.json"), "{}");
      mkdirSync(join(out, "not-ours"));
      writeFileSync(join(out, "not-ours", "notes.txt"), "keep");
      writeReportFiles(out, files);
      expect(existsSync(join(out, "retired-env"))).toBe(false);
      expect(readFileSync(join(out, "not-ours", "notes.txt"), "utf8")).toBe("keep");
      expect(existsSync(join(out, "dev", "old-report.md"))).toBe(false);
      expect(existsSync(join(out, ACCESS_DIFF_FILE))).toBe(false);
      expect(readFileSync(join(out, "prod", "access.md"), "utf8")).toBe(files.find((f) => f.path === "prod/access.md")!.content);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("switching between the forms leaves no file of the other behind (the central view at the top, access.html per environment)", () => {
    const out = mkdtempSync(join(tmpdir(), "m2m-report-files-"));
    try {
      writeReportFiles(out, environmentReportFiles(validateConfig(multiApiConfig)));
      expect(existsSync(join(out, CENTRAL_VIEW_FILE))).toBe(true);
      expect(existsSync(join(out, "dev", "openapi-payments.json"))).toBe(true);
      writeReportFiles(out, files);
      expect(existsSync(join(out, CENTRAL_VIEW_FILE))).toBe(false);
      expect(existsSync(join(out, "dev", "openapi-payments.json"))).toBe(false);
      expect(existsSync(join(out, "dev", "access.html"))).toBe(true);
      writeReportFiles(out, environmentReportFiles(validateConfig(multiApiConfig)));
      expect(existsSync(join(out, "dev", "access.html"))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
