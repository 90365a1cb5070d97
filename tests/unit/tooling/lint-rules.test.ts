import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/** The lint rules that guard the architecture must actually fire. */
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

describe("lint", () => {
  it.each([
    ['import { getDb } from "@/db";', "the database"],
    ['import { invoices } from "@/db/schema";', "the schema"],
    ['import { sql } from "drizzle-orm";', "drizzle"],
    ['import postgres from "postgres";', "postgres.js"],
    ['import { redirect } from "next/navigation";', "Next.js"],
    ['import { NextResponse } from "next/server";', "Next.js server"],
    ['import { readFileSync } from "node:fs";', "the file system"],
    ['import { settings } from "@/lib/config";', "app configuration"],
  ])("fails when lib/domain imports %s (%s)", async (line) => {
    const ids = await ruleIds(`${line}\nexport const x = 1;\n`, "lib/domain/probe.ts");
    expect(ids).toContain("no-restricted-imports");
  }, 60_000);

  it("allows lib/domain to import its own modules", async () => {
    const ids = await ruleIds('import { money } from "./money";\nexport const x = money;\n', "lib/domain/probe.ts");
    expect(ids).toEqual([]);
  }, 60_000);

  it("allows the same imports outside lib/domain", async () => {
    const ids = await ruleIds('import { getDb } from "@/db";\nexport const x = getDb;\n', "lib/other/probe.ts");
    expect(ids).toEqual([]);
  }, 60_000);

  it("refuses an update or delete without where", async () => {
    const code = 'import { getDb } from "@/db";\nimport { accounts } from "@/db/schema";\nexport async function f() { const db = await getDb(); await db.delete(accounts); }\n';
    expect(await ruleIds(code, "lib/other/probe.ts")).toContain("drizzle/enforce-delete-with-where");
  }, 60_000);
});
