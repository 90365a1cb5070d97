import { createHash, randomBytes } from "node:crypto";
import { and, count, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { apiKeys, merchants } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { API_KEY_BUCKET_PREFIX, rateLimitUpsert, rateLimitWindow } from "@/lib/api/rate-limit";
import {
  API_KEY_TYPES,
  type ApiKeyType,
  type ApiPermission,
  assertPermissionsWithinPlan,
  assertWithinPlanLimit,
  DomainError,
  isApiPermission,
  keyUsableForStatus,
  MERCHANT_STATUSES,
  type MerchantStatus,
  type PlanType,
} from "@/lib/domain";
import { recordEvent } from "@/lib/events/outbox";

/**
 * API keys: `sk_live_…` / `sk_test_…` followed by 32 random bytes in base64url (256 bits). The key
 * is returned once, at creation; only its SHA-256 and a short display prefix are stored.
 */

const KEY_PATTERN = /^sk_(live|test)_[A-Za-z0-9_-]{43}$/;
export const API_KEY_DISPLAY_PREFIX_LENGTH = 14;

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

export function generateApiKey(type: ApiKeyType): string {
  return `sk_${type}_${randomBytes(32).toString("base64url")}`;
}

export type ApiKeySummary = {
  id: string;
  name: string | null;
  keyType: ApiKeyType;
  keyPrefix: string;
  permissions: string[];
  status: "active" | "revoked" | "expired";
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
};

const summaryColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  keyType: apiKeys.keyType,
  keyPrefix: apiKeys.keyPrefix,
  permissions: apiKeys.permissions,
  status: apiKeys.status,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  createdAt: apiKeys.createdAt,
};

/** Active means usable now: not revoked and not past its expiry. */
function activeKeyCondition(now: Date) {
  return and(eq(apiKeys.status, "active"), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));
}

export async function listApiKeys(db: Executor, merchantId: string, now = new Date()): Promise<ApiKeySummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map((r) =>
    r.status === "active" && r.expiresAt && r.expiresAt <= now ? { ...r, status: "expired" as const } : r,
  );
}

export type CreateApiKeyInput = {
  name: string | null;
  keyType: ApiKeyType;
  permissions: string[];
  expiresAt: Date | null;
  now?: Date;
};

export async function createApiKey(
  db: Db,
  merchantId: string,
  input: CreateApiKeyInput,
  context: AuditContext,
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const now = input.now ?? new Date();
  if (input.expiresAt && input.expiresAt <= now) {
    throw new DomainError("api_key.expiry_in_past", "The expiry date must be in the future", { field: "expiresAt" });
  }
  if (input.permissions.length === 0) {
    throw new DomainError("api_key.no_permissions", "Choose at least one permission", { field: "permissions" });
  }
  return db.transaction(async (tx) => {
    // Lock the merchant row so two concurrent creations cannot both pass the plan limit.
    const [merchant] = await tx
      .select({ planType: merchants.planType, status: merchants.status })
      .from(merchants)
      .where(eq(merchants.id, merchantId))
      .for("update");
    if (!merchant) throw new DomainError("merchant.not_found", "Merchant not found");
    if (merchant.status === "suspended" || merchant.status === "closed") {
      throw new DomainError("merchant.inactive", `A ${merchant.status} merchant cannot create API keys`);
    }
    const permissions = assertPermissionsWithinPlan(merchant.planType, input.permissions);
    const [{ value: active }] = (await tx
      .select({ value: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.merchantId, merchantId), activeKeyCondition(now)))) as [{ value: number }];
    assertWithinPlanLimit(merchant.planType, "apiKeys", Number(active));

    const key = generateApiKey(input.keyType);
    const [row] = await tx
      .insert(apiKeys)
      .values({
        merchantId,
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH),
        keyType: input.keyType,
        permissions,
        name: input.name,
        expiresAt: input.expiresAt,
        createdAt: now,
      })
      .returning(summaryColumns);
    await recordEvent(tx, {
      aggregateType: "merchant",
      aggregateId: merchantId,
      merchantId,
      eventType: "ApiKeyGenerated",
      actor: context.actor,
      payload: { apiKeyId: row!.id, merchantId, permissions, keyType: input.keyType },
      occurredAt: now,
    });
    await recordAudit(
      tx,
      { merchantId, event: "api_key.created", data: { apiKeyId: row!.id, keyType: input.keyType, permissions }, at: now },
      context,
    );
    return { key, apiKey: row! };
  });
}

export async function revokeApiKey(
  db: Db,
  merchantId: string,
  apiKeyId: string,
  context: AuditContext,
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ status: "revoked", revokedAt: now })
      .where(and(eq(apiKeys.id, apiKeyId), eq(apiKeys.merchantId, merchantId), eq(apiKeys.status, "active")))
      .returning({ id: apiKeys.id });
    if (!row) {
      const [exists] = await tx
        .select({ status: apiKeys.status })
        .from(apiKeys)
        .where(and(eq(apiKeys.id, apiKeyId), eq(apiKeys.merchantId, merchantId)));
      if (!exists) throw new DomainError("api_key.not_found", "No such API key");
      return; // Already revoked: revoking is idempotent.
    }
    await recordAudit(tx, { merchantId, event: "api_key.revoked", data: { apiKeyId }, at: now }, context);
  });
}

export type ApiPrincipal = {
  apiKeyId: string;
  merchantId: string;
  keyType: ApiKeyType;
  livemode: boolean;
  permissions: ApiPermission[];
  merchantStatus: MerchantStatus;
  planType: PlanType;
};

export class ApiAuthError extends DomainError {}

/**
 * "live:active", "test:active", "test:pending_verification": the (key type, merchant status)
 * pairs keyUsableForStatus accepts, listed once so the SQL below applies the same rule.
 */
const USABLE_KEY_TYPE_AND_STATUS = API_KEY_TYPES.flatMap((type) =>
  MERCHANT_STATUSES.filter((status) => keyUsableForStatus(type, status)).map((status) => `${type}:${status}`),
);

/**
 * The authentication statement, prepared once per database handle (it runs on the pool, on every
 * API request, so PostgreSQL plans it once per connection and drizzle builds its SQL once).
 *
 * One round trip does three things, all with the same snapshot:
 *  - `key`: the key joined to its merchant, with `usable` = active, unexpired, and allowed for the
 *    merchant's status (the same checks the code below turns into error messages);
 *  - `touched`: stamps lastUsedAt when the key is usable and it is older than a minute (one write
 *    per key per minute, not one per request);
 *  - `counted`: when `count` is true and the key is usable, counts the request in the key's current
 *    rate-limit window. Refused keys are not counted, as before.
 * Nothing is cached between requests: revocation, expiry and merchant status changes apply to the
 * very next request, on every instance.
 */
function buildAuthStatement(db: Executor) {
  const now = sql`${sql.placeholder("now")}::timestamptz`;
  const key = db.$with("key").as(
    db
      .select({
        id: apiKeys.id,
        merchantId: apiKeys.merchantId,
        keyType: apiKeys.keyType,
        permissions: apiKeys.permissions,
        status: apiKeys.status,
        expiresAt: apiKeys.expiresAt,
        lastUsedAt: apiKeys.lastUsedAt,
        merchantStatus: sql<MerchantStatus>`${merchants.status}`.as("merchant_status"),
        planType: merchants.planType,
        usable: sql<boolean>`${apiKeys.status} = 'active'
          and (${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > ${now})
          and (${apiKeys.keyType}::text || ':' || ${merchants.status}::text) in (${sql.join(
            USABLE_KEY_TYPE_AND_STATUS.map((pair) => sql`${pair}`),
            sql`, `,
          )})`.as("usable"),
      })
      .from(apiKeys)
      .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
      .where(eq(apiKeys.keyHash, sql.placeholder("hash"))),
  );
  const touched = db.$with("touched").as(
    db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          sql`${apiKeys.id} = (select ${key.id} from ${key} where ${key.usable})`,
          or(isNull(apiKeys.lastUsedAt), sql`${apiKeys.lastUsedAt} < ${now} - interval '1 minute'`),
        ),
      )
      .returning({ id: apiKeys.id }),
  );
  const counted = db.$with("counted", { count: sql<number>`count`.as("count") }).as(
    rateLimitUpsert(
      sql`select ${API_KEY_BUCKET_PREFIX} || ${key.id}, ${sql.placeholder("window")}::timestamptz, 1
          from ${key} where ${key.usable} and ${sql.placeholder("count")}::boolean`,
    ),
  );
  return db
    .with(key, touched, counted)
    .select({
      id: key.id,
      merchantId: key.merchantId,
      keyType: key.keyType,
      permissions: key.permissions,
      status: key.status,
      expiresAt: key.expiresAt,
      merchantStatus: key.merchantStatus,
      planType: key.planType,
      requestsInWindow: sql<number | null>`(select ${counted.count} from ${counted})`,
    })
    .from(key)
    .prepare("api_key_authenticate");
}

const authStatements = new WeakMap<Executor, ReturnType<typeof buildAuthStatement>>();

export type AuthenticatedRequest = {
  principal: ApiPrincipal;
  /** Requests counted in the key's current rate-limit window, this one included (with `countRequest`). */
  requestsInWindow: number | null;
  windowStart: Date;
};

/**
 * Resolves a bearer key to its merchant, refusing malformed, unknown, revoked and expired keys.
 * With `countRequest`, the same statement also counts the request against the key's rate limit.
 */
export async function authenticateApiKeyRequest(
  db: Executor,
  key: string,
  now = new Date(),
  options: { countRequest?: boolean } = {},
): Promise<AuthenticatedRequest> {
  if (!KEY_PATTERN.test(key)) {
    throw new ApiAuthError("auth.invalid_key", "The API key is malformed; keys look like sk_live_… or sk_test_…");
  }
  let statement = authStatements.get(db);
  if (!statement) authStatements.set(db, (statement = buildAuthStatement(db)));
  const windowStart = rateLimitWindow(now);
  const [row] = await statement.execute({
    hash: hashApiKey(key),
    now: now.toISOString(),
    window: windowStart.toISOString(),
    count: options.countRequest === true,
  });
  if (!row) throw new ApiAuthError("auth.invalid_key", "The API key is not valid");
  if (row.status === "revoked") throw new ApiAuthError("auth.key_revoked", "The API key has been revoked");
  if (row.status === "expired" || (row.expiresAt && row.expiresAt <= now)) {
    throw new ApiAuthError("auth.key_expired", "The API key has expired");
  }
  if (!keyUsableForStatus(row.keyType, row.merchantStatus)) {
    throw new DomainError(
      "merchant.inactive",
      row.keyType === "live" && row.merchantStatus === "pending_verification"
        ? "Live keys work once the merchant account is verified; use a test key until then"
        : `The merchant account is ${row.merchantStatus.replace("_", " ")}`,
      { merchantStatus: row.merchantStatus },
    );
  }
  return {
    principal: {
      apiKeyId: row.id,
      merchantId: row.merchantId,
      keyType: row.keyType,
      livemode: row.keyType === "live",
      permissions: row.permissions.filter(isApiPermission),
      merchantStatus: row.merchantStatus,
      planType: row.planType,
    },
    requestsInWindow: row.requestsInWindow === null ? null : Number(row.requestsInWindow),
    windowStart,
  };
}

/** Resolves a bearer key to its merchant, refusing malformed, unknown, revoked and expired keys. */
export async function authenticateApiKey(db: Executor, key: string, now = new Date()): Promise<ApiPrincipal> {
  return (await authenticateApiKeyRequest(db, key, now)).principal;
}
