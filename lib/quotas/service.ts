import { eq } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { accountModelQuotas, accounts } from "@/db/schema";
import { CredentialsMissingError, readAccountCredentials, type AwsCredentials } from "@/lib/accounts/credentials";
import {
  classifyQuotaLevel,
  createQuotaProfile,
  DomainError,
  isAllZero,
  suggestAccountPrice,
  type Money,
  type ModelQuota,
  type QuotaLevel,
  type QuotaProfile,
} from "@/lib/domain";
import { recordEvent, type DomainEventInput } from "@/lib/events/outbox";
import { createQuotaSource } from "./source";
import { isQuotaSourceError, type QuotaSource, type QuotaSourceErrorCode } from "./types";

/**
 * QuotaUpdateService: reads an account's quotas through a QuotaSource and stores the result.
 * The network call happens outside any transaction; what it found is then written in one.
 */
export type QuotaRefreshActor = { type: "admin"; id: string } | { type: "system" };

export type QuotaRefreshFailureCode = QuotaSourceErrorCode | "missing_credentials" | "credentials_unreadable";

export type QuotaRefreshSuccess = {
  ok: true;
  accountId: string;
  quotaLevel: QuotaLevel;
  /** In the account's price currency; shown next to the price, which the admin sets. */
  suggestedPrice: Money;
  needsReview: boolean;
  modelQuotas: readonly ModelQuota[];
  updatedAt: Date;
};

export type QuotaRefreshFailure = {
  ok: false;
  accountId: string;
  code: QuotaRefreshFailureCode;
  /** Safe to show an admin: no credential, no upstream text. */
  message: string;
  failedAt: Date;
};

export type QuotaRefreshResult = QuotaRefreshSuccess | QuotaRefreshFailure;

export type RefreshAccountQuotasOptions = { source?: QuotaSource; actor: QuotaRefreshActor; now?: Date };

export class AccountNotFoundError extends DomainError {
  constructor(accountId: string) {
    super("account.not_found", "No account with this id", { accountId });
    this.name = "AccountNotFoundError";
  }
}

const DEFAULT_REGION = "us-east-1";
const MAX_ERROR_LENGTH = 500;

type Outcome = { ok: true; profile: QuotaProfile } | { ok: false; code: QuotaRefreshFailureCode; message: string };

async function loadCredentials(db: Executor, accountId: string): Promise<AwsCredentials | Outcome> {
  try {
    return await readAccountCredentials(db, accountId);
  } catch (error) {
    if (error instanceof CredentialsMissingError) {
      return { ok: false, code: "missing_credentials", message: "The account has no AWS credentials: add an access key first." };
    }
    // Never the error itself: a decryption failure's details say nothing an admin can act on.
    return {
      ok: false,
      code: "credentials_unreadable",
      message: "The stored AWS credentials could not be decrypted: check ENCRYPTION_KEY and ENCRYPTION_PREVIOUS_KEYS, or store the key again.",
    };
  }
}

async function readProfile(db: Executor, account: { id: string; regions: string[] }, source: QuotaSource, now: Date): Promise<Outcome> {
  const credentials = await loadCredentials(db, account.id);
  if ("ok" in credentials) return credentials;
  try {
    const { modelQuotas } = await source.fetchQuotas({ credentials, region: account.regions[0] ?? DEFAULT_REGION, regions: account.regions });
    return { ok: true, profile: createQuotaProfile({ lastUpdated: now, modelQuotas }) };
  } catch (error) {
    if (isQuotaSourceError(error)) return { ok: false, code: error.code, message: error.message.slice(0, MAX_ERROR_LENGTH) };
    // Only the error's class name is logged: a message from deep inside an SDK may quote a key.
    console.error(`[quotas] unexpected ${error instanceof Error ? error.name : typeof error} refreshing account ${account.id}`);
    return { ok: false, code: "service_error", message: "Reading the quotas failed unexpectedly; see the server log." };
  }
}

function recordAccountEvent(tx: Executor, accountId: string, eventType: string, payload: Record<string, unknown>, actor: QuotaRefreshActor, at: Date) {
  const eventActor: DomainEventInput["actor"] = actor.type === "admin" ? { type: "admin", id: actor.id } : { type: "system" };
  return recordEvent(tx, { aggregateType: "account", aggregateId: accountId, eventType, payload, actor: eventActor, occurredAt: at });
}

async function saveProfile(db: Db, accountId: string, profile: QuotaProfile, actor: QuotaRefreshActor): Promise<QuotaRefreshSuccess | null> {
  return db.transaction(async (tx) => {
    // The row lock orders concurrent refreshes of one account: each replaces the quota rows whole.
    const [account] = await tx.select({ currency: accounts.priceCurrency }).from(accounts).where(eq(accounts.id, accountId)).for("update");
    if (!account) return null;
    const quotaLevel = classifyQuotaLevel(profile);
    const suggestedPrice = suggestAccountPrice(profile, account.currency);
    const needsReview = isAllZero(profile);
    await tx.delete(accountModelQuotas).where(eq(accountModelQuotas.accountId, accountId));
    if (profile.modelQuotas.length > 0) {
      await tx.insert(accountModelQuotas).values(profile.modelQuotas.map((q) => ({ accountId, ...q })));
    }
    await tx
      .update(accounts)
      .set({ quotaLevel, suggestedPriceMinor: suggestedPrice.amount, quotaUpdatedAt: profile.lastUpdated, quotaError: null, quotaErrorAt: null, needsReview })
      .where(eq(accounts.id, accountId));
    const at = profile.lastUpdated;
    await recordAccountEvent(tx, accountId, "QuotaUpdated", { accountId, quotaProfile: profile, timestamp: at }, actor, at);
    return { ok: true, accountId, quotaLevel, suggestedPrice, needsReview, modelQuotas: profile.modelQuotas, updatedAt: profile.lastUpdated };
  });
}

async function saveFailure(db: Db, failure: QuotaRefreshFailure, actor: QuotaRefreshActor): Promise<void> {
  const { accountId, code, message, failedAt } = failure;
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ quotaError: message, quotaErrorAt: failedAt }).where(eq(accounts.id, accountId));
    await recordAccountEvent(tx, accountId, "QuotaRefreshFailed", { accountId, code, message }, actor, failedAt);
  });
}

/**
 * Refreshes one account's QuotaProfile. Success replaces its model quotas and recomputes the level,
 * the suggested price and the review flag (the price itself is left to the admin); failure keeps
 * the last good profile and records the error. Either way the result is returned, not thrown.
 * Throws AccountNotFoundError for an unknown account.
 */
export async function refreshAccountQuotas(db: Db, accountId: string, options: RefreshAccountQuotasOptions): Promise<QuotaRefreshResult> {
  const now = options.now ?? new Date();
  const [account] = await db.select({ id: accounts.id, regions: accounts.regions }).from(accounts).where(eq(accounts.id, accountId));
  if (!account) throw new AccountNotFoundError(accountId);
  const outcome = await readProfile(db, account, options.source ?? createQuotaSource(), now);
  if (outcome.ok) {
    const saved = await saveProfile(db, accountId, outcome.profile, options.actor);
    if (!saved) throw new AccountNotFoundError(accountId);
    return saved;
  }
  const failure: QuotaRefreshFailure = { ok: false, accountId, code: outcome.code, message: outcome.message, failedAt: now };
  await saveFailure(db, failure, options.actor);
  return failure;
}
