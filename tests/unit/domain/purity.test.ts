// lib/domain must run anywhere: no framework, database, network or node: imports, no floats.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const domainDir = fileURLToPath(new URL("../../../lib/domain", import.meta.url));
const files = readdirSync(domainDir).filter((f) => f.endsWith(".ts"));
const IMPORT_PATTERN = /(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']/g;

describe("lib/domain purity", () => {
  it("has files to check", () => {
    expect(files).toContain("index.ts");
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)("%s imports only sibling domain files or zod", (file) => {
    const source = readFileSync(join(domainDir, file), "utf8");
    const specifiers = [...source.matchAll(IMPORT_PATTERN)].map((m) => m[1] ?? m[2] ?? m[3]);
    for (const specifier of specifiers) {
      expect(specifier === "zod" || /^\.\/[a-z0-9-]+$/.test(specifier ?? ""), `${file} imports ${specifier}`).toBe(
        true,
      );
    }
  });

  it.each(files)("%s uses no float parsing, process.env or wall-clock time", (file) => {
    const source = readFileSync(join(domainDir, file), "utf8");
    expect(source).not.toMatch(/parseFloat|toFixed\(|Math\.round|process\.|Date\.now\(|new Date\(\)/);
  });

  it.each(files)("%s stays under ~300 lines", (file) => {
    expect(readFileSync(join(domainDir, file), "utf8").split("\n").length).toBeLessThanOrEqual(300);
  });
});
