import { BedrockClient, ListFoundationModelsCommand, paginateListInferenceProfiles } from "@aws-sdk/client-bedrock";
import {
  paginateListAWSDefaultServiceQuotas,
  paginateListServiceQuotas,
  ServiceQuotasClient,
  type ServiceQuota,
} from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { ClaudeModel } from "@/lib/domain";
import { toQuotaSourceError } from "./aws-errors";
import { assembleModelQuotas, claudeModelOfBedrockId, type NamedQuotaValue } from "./names";
import { QuotaSourceError, type FetchedQuotas, type QuotaFetchRequest, type QuotaSource } from "./types";

/**
 * The AWS SDK v3 source: validates the key with STS GetCallerIdentity, then reads the applied and
 * the default Bedrock quotas from Service Quotas and the offered Claude models from Bedrock, all in
 * the account's region. Quotas are discovered by name (lib/quotas/names.ts), never by a fixed list
 * of codes.
 */
export type AwsQuotaSourceOptions = {
  /** Every call goes here instead of AWS (a local stand-in). */
  endpoint?: string;
  /** Per HTTP request; also the connect timeout. */
  requestTimeoutMs?: number;
  /** SDK attempts per call (retries included). Small, so a refresh cannot hang on retries. */
  maxAttempts?: number;
  /** The whole refresh, all calls and pages together. */
  deadlineMs?: number;
};

const SERVICE_CODE = "bedrock";
const PAGE_SIZE = 100;
/** A runaway NextToken loop stops here (Bedrock lists a few hundred quotas). */
const MAX_PAGES = 50;
const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** The settings the three clients share. */
type ClientConfig = {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
  endpoint?: string;
};

function clientConfig(request: QuotaFetchRequest, options: AwsQuotaSourceOptions): ClientConfig {
  const timeout = options.requestTimeoutMs ?? 15_000;
  const { accessKeyId, secretAccessKey, sessionToken } = request.credentials;
  return {
    region: request.region,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    maxAttempts: options.maxAttempts ?? 2,
    requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

/** Runs one call, turning whatever it throws into a QuotaSourceError that names the call. */
async function step<T>(call: string, region: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toQuotaSourceError(error, call, region);
  }
}

async function collectPages<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  let count = 0;
  for await (const page of pages) {
    out.push(...(items(page) ?? []));
    if (++count >= MAX_PAGES) break;
  }
  return out;
}

/** Applied values over defaults, by quota code; a quota only one list knows keeps that value. */
export function mergeQuotaLists(applied: readonly ServiceQuota[], defaults: readonly ServiceQuota[]): NamedQuotaValue[] {
  const byCode = new Map<string, NamedQuotaValue>();
  for (const list of [defaults, applied]) {
    for (const q of list) {
      if (!q.QuotaCode || !q.QuotaName || typeof q.Value !== "number") continue;
      byCode.set(q.QuotaCode, { name: q.QuotaName, value: q.Value });
    }
  }
  return [...byCode.values()];
}

async function readQuotas(client: ServiceQuotasClient, region: string, signal: AbortSignal): Promise<NamedQuotaValue[]> {
  const input = { ServiceCode: SERVICE_CODE, MaxResults: PAGE_SIZE };
  const [applied, defaults] = await Promise.all([
    step("Service Quotas ListServiceQuotas", region, () =>
      collectPages(paginateListServiceQuotas({ client, pageSize: PAGE_SIZE }, input, { abortSignal: signal }), (p) => p.Quotas),
    ),
    step("Service Quotas ListAWSDefaultServiceQuotas", region, () =>
      collectPages(paginateListAWSDefaultServiceQuotas({ client, pageSize: PAGE_SIZE }, input, { abortSignal: signal }), (p) => p.Quotas),
    ),
  ]);
  return mergeQuotaLists(applied, defaults);
}

async function readAvailableModels(client: BedrockClient, region: string, signal: AbortSignal): Promise<Set<ClaudeModel>> {
  const [models, profiles] = await Promise.all([
    step("Bedrock ListFoundationModels", region, async () => {
      const out = await client.send(new ListFoundationModelsCommand({}), { abortSignal: signal });
      return (out.modelSummaries ?? []).map((m) => m.modelId ?? "");
    }),
    step("Bedrock ListInferenceProfiles", region, () =>
      collectPages(
        paginateListInferenceProfiles({ client, pageSize: PAGE_SIZE }, { typeEquals: "SYSTEM_DEFINED" }, { abortSignal: signal }),
        (p) => p.inferenceProfileSummaries?.filter((s) => s.status === "ACTIVE").map((s) => s.inferenceProfileId ?? ""),
      ),
    ),
  ]);
  const available = new Set<ClaudeModel>();
  for (const id of [...models, ...profiles]) {
    const model = claudeModelOfBedrockId(id);
    if (model) available.add(model);
  }
  return available;
}

export async function fetchQuotasFromAws(request: QuotaFetchRequest, options: AwsQuotaSourceOptions = {}): Promise<FetchedQuotas> {
  const { region } = request;
  if (!REGION_PATTERN.test(region)) {
    throw new QuotaSourceError("region_not_enabled", `"${region.slice(0, 40)}" is not an AWS region name (such as us-east-1).`);
  }
  const config = clientConfig(request, options);
  const sts = new STSClient(config);
  const quotas = new ServiceQuotasClient(config);
  const bedrock = new BedrockClient(config);
  const deadline = AbortSignal.timeout(options.deadlineMs ?? 90_000);
  try {
    // First, alone: a bad key fails here with a clear answer instead of three access errors.
    await step("STS GetCallerIdentity", region, () => sts.send(new GetCallerIdentityCommand({}), { abortSignal: deadline }));
    const [named, available] = await Promise.all([readQuotas(quotas, region, deadline), readAvailableModels(bedrock, region, deadline)]);
    return { modelQuotas: assembleModelQuotas(named, available) };
  } finally {
    sts.destroy();
    quotas.destroy();
    bedrock.destroy();
  }
}

export function createAwsQuotaSource(options: AwsQuotaSourceOptions = {}): QuotaSource {
  return { kind: "aws", fetchQuotas: (request) => fetchQuotasFromAws(request, options) };
}
