import { spawn } from "node:child_process";
import { z } from "zod";
import { CLAUDE_MODELS, createQuotaProfile, DomainError, type ClaudeModel } from "@/lib/domain";
import { QuotaSourceError, type FetchedQuotas, type QuotaFetchRequest, type QuotaSource } from "./types";

/**
 * The external-command source (the spec's "Python script"). The command is spawned without a
 * shell from a JSON argv; it reads {"accessKeyId","secretAccessKey","sessionToken"?,"region",
 * "regions"} as JSON on stdin and prints {"modelQuotas":[{model,rpm,tpm,tpd,available}]} on stdout.
 */
export type CommandQuotaSourceOptions = {
  argv: readonly string[];
  timeoutMs: number;
  /** Sent to the command as AWS_ENDPOINT_URL (boto3 and the AWS CLI honour it). */
  awsEndpointUrl?: string;
  maxStdoutBytes?: number;
  cwd?: string;
};

const DEFAULT_MAX_STDOUT = 1024 * 1024;
/** Stderr is drained (a full pipe would block the command) but never stored: it may echo the key. */
const MAX_STDERR_BYTES = 64 * 1024;
/**
 * Only what a script needs to run: the app's own environment holds its database URL and
 * encryption keys, which an external command has no business seeing.
 */
const PASSED_ENV = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SYSTEMROOT", "PYTHONPATH", "VIRTUAL_ENV"];

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const commandOutputSchema = z.object({
  modelQuotas: z.array(
    z.object({
      model: z.enum(CLAUDE_MODELS as [ClaudeModel, ...ClaudeModel[]]),
      rpm: count,
      tpm: count,
      tpd: count,
      available: z.boolean(),
    }),
  ),
});

type CommandRun = { stdout: Buffer; exitCode: number | null; signal: NodeJS.Signals | null; timedOut: boolean; overflowed: boolean };

function commandEnv(options: CommandQuotaSourceOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  if (options.awsEndpointUrl) env.AWS_ENDPOINT_URL = options.awsEndpointUrl;
  return env;
}

/** Kills the command and anything it started: it leads its own process group (detached). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function runCommand(options: CommandQuotaSourceOptions, input: string): Promise<CommandRun> {
  const [file, ...args] = options.argv;
  const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { stdio: ["pipe", "pipe", "pipe"], detached: true, shell: false, env: commandEnv(options) as NodeJS.ProcessEnv, cwd: options.cwd });
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let timedOut = false;
    let overflowed = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        overflowed = true;
        killGroup(child.pid);
      } else chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderrBytes += chunk.length;
      if (stderrBytes > MAX_STDERR_BYTES) child.stderr.destroy();
    });
    // A command that exits without reading stdin makes the write fail with EPIPE: not our error.
    child.stdin.on("error", () => {});
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      // The command may have left children holding the pipes; they go with it.
      killGroup(child.pid);
      resolve({ stdout: Buffer.concat(chunks), exitCode, signal, timedOut, overflowed });
    });
    child.stdin.end(input);
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  return `${path || "output"}: ${issue.message}`;
}

/** Parses and validates the command's stdout; the message names the offending field. */
export function parseCommandOutput(stdout: string): FetchedQuotas {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new QuotaSourceError("bad_output", "The quota command did not print JSON on stdout.");
  }
  const parsed = commandOutputSchema.safeParse(json);
  if (!parsed.success) {
    throw new QuotaSourceError("bad_output", `The quota command printed an unexpected profile: ${describeIssue(parsed.error.issues[0]!)}.`);
  }
  try {
    return { modelQuotas: createQuotaProfile({ lastUpdated: new Date(), modelQuotas: parsed.data.modelQuotas }).modelQuotas };
  } catch (error) {
    if (error instanceof DomainError) throw new QuotaSourceError("bad_output", `The quota command printed an unexpected profile: ${error.message}.`);
    throw error;
  }
}

function commandName(argv: readonly string[]): string {
  return (argv.at(-1) ?? "").split("/").pop()!.slice(0, 80);
}

export async function fetchQuotasFromCommand(request: QuotaFetchRequest, options: CommandQuotaSourceOptions): Promise<FetchedQuotas> {
  const { accessKeyId, secretAccessKey, sessionToken } = request.credentials;
  const input = JSON.stringify({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), region: request.region, regions: request.regions });
  const name = commandName(options.argv);
  let run: CommandRun;
  try {
    run = await runCommand(options, input);
  } catch (error) {
    const code = error && typeof error === "object" && "code" in error ? String(error.code) : "unknown";
    throw new QuotaSourceError("command_failed", `The quota command ${name} could not be started (${code.slice(0, 40)}).`);
  }
  if (run.timedOut) {
    throw new QuotaSourceError("command_timeout", `The quota command ${name} did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped.`);
  }
  if (run.overflowed) {
    throw new QuotaSourceError("bad_output", `The quota command ${name} printed more than ${options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT} bytes.`);
  }
  if (run.exitCode !== 0) {
    const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`;
    throw new QuotaSourceError("command_failed", `The quota command ${name} ${how}.`);
  }
  return parseCommandOutput(run.stdout.toString("utf8"));
}

export function createCommandQuotaSource(options: CommandQuotaSourceOptions): QuotaSource {
  return { kind: "command", fetchQuotas: (request) => fetchQuotasFromCommand(request, options) };
}
