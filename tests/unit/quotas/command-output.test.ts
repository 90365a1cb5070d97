import { describe, expect, it } from "vitest";
import { parseCommandOutput } from "@/lib/quotas/command";
import { createQuotaSource } from "@/lib/quotas/source";

const quota = { model: "claude-3.5-haiku", rpm: 1000, tpm: 2_000_000, tpd: 2_880_000_000, available: true };

describe("parseCommandOutput", () => {
  it("accepts a valid profile and drops unknown keys", () => {
    expect(parseCommandOutput(JSON.stringify({ modelQuotas: [{ ...quota, note: "x" }], source: "script" }))).toEqual({ modelQuotas: [quota] });
  });

  it.each([
    ["not json", "did not print JSON"],
    [JSON.stringify({ quotas: [] }), "modelQuotas:"],
    [JSON.stringify({ modelQuotas: [{ ...quota, rpm: -1 }] }), "modelQuotas[0].rpm:"],
    [JSON.stringify({ modelQuotas: [quota, { ...quota, tpm: 2.5 }] }), "modelQuotas[1].tpm:"],
    [JSON.stringify({ modelQuotas: [{ ...quota, tpd: 2 ** 60 }] }), "modelQuotas[0].tpd:"],
    [JSON.stringify({ modelQuotas: [{ ...quota, model: "claude-opus-4.1" }] }), "modelQuotas[0].model:"],
    [JSON.stringify({ modelQuotas: [{ ...quota, available: "yes" }] }), "modelQuotas[0].available:"],
    [JSON.stringify({ modelQuotas: [quota, quota] }), "listed twice"],
    [JSON.stringify([quota]), "output:"],
  ])("rejects %s", (stdout, fragment) => {
    let thrown: unknown;
    try {
      parseCommandOutput(stdout);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "QuotaSourceError", code: "bad_output" });
    expect((thrown as Error).message).toContain(fragment);
  });
});

describe("createQuotaSource", () => {
  const base = { QUOTA_COMMAND_TIMEOUT_SECONDS: 5, QUOTA_AWS_ENDPOINT_URL: undefined, QUOTA_COMMAND: undefined };

  it("picks the adapter the settings name", () => {
    expect(createQuotaSource({ ...base, QUOTA_SOURCE: "aws" }).kind).toBe("aws");
    expect(createQuotaSource({ ...base, QUOTA_SOURCE: "command", QUOTA_COMMAND: '["python3","quotas.py"]' }).kind).toBe("command");
  });

  it("a command source without a command fails every refresh with not_configured", async () => {
    const source = createQuotaSource({ ...base, QUOTA_SOURCE: "command" });
    await expect(source.fetchQuotas({ credentials: { accessKeyId: "AKIA0000000000000000", secretAccessKey: "x".repeat(40) }, region: "us-east-1", regions: [] })).rejects.toMatchObject({
      code: "not_configured",
      message: expect.stringContaining("QUOTA_COMMAND"),
    });
  });
});
