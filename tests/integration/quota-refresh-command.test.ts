import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fetchQuotasFromCommand, type CommandQuotaSourceOptions } from "@/lib/quotas/command";
import { QuotaSourceError } from "@/lib/quotas/types";

/** The external-command adapter running real child processes (tests/fixtures/quota-commands). */

const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "quota-commands");
const work = mkdtempSync(path.join(tmpdir(), "quota-command-"));
const credentials = { accessKeyId: "AKIACOMMANDTEST00001", secretAccessKey: "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr" };
const request = (region = "us-east-1") => ({ credentials, region, regions: [region, "us-west-2"] });

const command = (script: string, ...args: string[]): CommandQuotaSourceOptions => ({
  argv: [process.execPath, path.join(FIXTURES, script), ...args],
  timeoutMs: 5_000,
});

async function failureOf(promise: Promise<unknown>): Promise<QuotaSourceError> {
  const failure = await promise.then(
    () => Promise.reject(new Error("expected the command to fail")),
    (e: unknown) => e as QuotaSourceError,
  );
  expect(failure).toBeInstanceOf(QuotaSourceError);
  // Whatever went wrong, the credentials stay out of the message.
  expect(failure.message).not.toContain(credentials.secretAccessKey);
  expect(failure.message).not.toContain(credentials.accessKeyId);
  return failure;
}

/** Running, not merely a zombie waiting for a parent that may never reap it (PID 1 in a container). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("command quota source", () => {
  it("passes the credentials and region on stdin and reads the profile from stdout", async () => {
    const result = await fetchQuotasFromCommand(request("eu-central-1"), command("good.mjs"));
    expect(result.modelQuotas).toEqual([
      { model: "claude-4.0-sonnet-4-v1", rpm: 800, tpm: 3_000_000, tpd: 3_000_000 * 1440, available: true },
      { model: "claude-3.5-haiku", rpm: 1000, tpm: 2_000_000, tpd: 2_880_000_000, available: true },
      { model: "claude-3.5-sonnet", rpm: 0, tpm: 0, tpd: 0, available: false },
    ]);
    expect((await fetchQuotasFromCommand(request("us-east-1"), command("good.mjs"))).modelQuotas[0]!.tpm).toBe(2_000_000);
  });

  it("hands the command exactly the documented input and none of the app's secrets", async () => {
    const out = path.join(work, "input.json");
    process.env.ENCRYPTION_KEY_FOR_THIS_TEST = "must-not-leak";
    try {
      await fetchQuotasFromCommand({ ...request("us-west-2"), credentials: { ...credentials, sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN" } }, {
        ...command("record-input.mjs", out),
        awsEndpointUrl: "http://127.0.0.1:4599",
      });
    } finally {
      delete process.env.ENCRYPTION_KEY_FOR_THIS_TEST;
    }
    const seen = JSON.parse(readFileSync(out, "utf8")) as { input: unknown; env: string[] };
    expect(seen.input).toEqual({ ...credentials, sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN", region: "us-west-2", regions: ["us-west-2", "us-west-2"] });
    expect(seen.env).toContain("AWS_ENDPOINT_URL");
    expect(seen.env).not.toContain("ENCRYPTION_KEY_FOR_THIS_TEST");
    expect(seen.env.filter((k) => /SECRET|DATABASE|ENCRYPTION/.test(k))).toEqual([]);
  });

  it("a crash is command_failed with the exit code, never the stderr that quotes the key", async () => {
    const error = await failureOf(fetchQuotasFromCommand(request(), command("crash.mjs")));
    expect(error.code).toBe("command_failed");
    expect(error.message).toBe("The quota command crash.mjs exited with code 1.");
  });

  it("a hang is stopped at the timeout, together with the processes it started", async () => {
    const pidFile = path.join(work, "hang.pid");
    const started = Date.now();
    const error = await failureOf(fetchQuotasFromCommand(request(), { ...command("hang.mjs", pidFile), timeoutMs: 1_000 }));
    expect(error.code).toBe("command_timeout");
    expect(error.message).toContain("within 1 s");
    expect(Date.now() - started).toBeLessThan(4_000);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it("output that is not JSON is bad_output", async () => {
    const error = await failureOf(fetchQuotasFromCommand(request(), command("bad-json.mjs")));
    expect(error.code).toBe("bad_output");
    expect(error.message).toContain("did not print JSON");
  });

  it.each([
    ["negative-rpm", "modelQuotas[0].rpm"],
    ["fractional-tpm", "modelQuotas[0].tpm"],
    ["unknown-model", "modelQuotas[0].model"],
    ["missing-list", "modelQuotas"],
    ["duplicate-model", "listed twice"],
  ])("output of the wrong shape (%s) names the field", async (variant, field) => {
    const error = await failureOf(fetchQuotasFromCommand(request(), command("wrong-shape.mjs", variant)));
    expect(error.code).toBe("bad_output");
    expect(error.message).toContain(field);
  });

  it("output beyond the cap is refused", async () => {
    const error = await failureOf(fetchQuotasFromCommand(request(), command("flood.mjs")));
    expect(error.code).toBe("bad_output");
    expect(error.message).toContain("more than 1048576 bytes");
  });

  it("a command that cannot be started is command_failed", async () => {
    const error = await failureOf(fetchQuotasFromCommand(request(), { argv: [path.join(work, "no-such-program")], timeoutMs: 1_000 }));
    expect(error.code).toBe("command_failed");
    expect(error.message).toContain("ENOENT");
  });

  it("arguments are not interpreted by a shell", async () => {
    const marker = path.join(work, "shell-ran");
    await failureOf(fetchQuotasFromCommand(request(), { argv: [process.execPath, "-e", "process.exit(2)", `; touch ${marker}`], timeoutMs: 2_000 }));
    expect(() => readFileSync(marker)).toThrow();
  });
});
