import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Executor } from "@/db";
import { accountOrders, accounts } from "@/db/schema";
import {
  ACCOUNT_STATUSES,
  DomainError,
  FIAT_CURRENCIES,
  parseMoney,
  transitionAccountStatus,
  type AccountStatus,
  type FiatCurrency,
} from "@/lib/domain";
import { recordEvent } from "@/lib/events/outbox";
import { awsCredentialsSchema, sealCredentials, type AwsCredentials } from "./credentials";

/**
 * Account Management commands for admins: create, edit and change the status of marketplace
 * accounts. Each command writes its change and the spec's event (AccountCreated, AccountModified
 * with the changed fields, AccountStatusChanged) with the admin as actor, in one transaction.
 */

export type AdminActor = { adminId: string };

export type AccountFields = {
  name: string;
  displayName: string;
  priceMinor: bigint;
  priceCurrency: FiatCurrency;
  instructions: string;
  features: string[];
  limitations: string[];
  regions: string[];
};

/** What a form submits; credentials are only sent when the admin types new ones. */
export type AccountInput = AccountFields & { credentials?: AwsCredentials };

const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/;

const lines = (max: number, label: string) =>
  z
    .string()
    .max(max * 202)
    .transform((v) => v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(200, `Keep each ${label} under 200 characters.`).regex(NO_CONTROL, "Use printable characters only.")).max(max, `List at most ${max} ${label}s.`));

/** The account form's plain fields, as strings from FormData; field names match the inputs. */
const accountFieldsSchema = z.object({
  name: z.string().trim().min(1, "Enter an internal name.").max(120, "Keep the name under 120 characters.").regex(NO_CONTROL, "Use printable characters only."),
  displayName: z.string().trim().min(1, "Enter the name buyers see.").max(200, "Keep the display name under 200 characters.").regex(NO_CONTROL, "Use printable characters only."),
  priceCurrency: z.enum(FIAT_CURRENCIES, "Choose USD, EUR or CNY."),
  instructions: z.string().max(10_000, "Keep the instructions under 10,000 characters.").regex(NO_CONTROL, "Use printable characters only.").transform((v) => v.trim()),
  features: lines(20, "feature"),
  limitations: lines(20, "limitation"),
  regions: z
    .string()
    .max(2_000)
    .transform((v) => [...new Set(v.split(/[\s,]+/).map((r) => r.trim().toLowerCase()).filter(Boolean))])
    .pipe(z.array(z.string().regex(AWS_REGION, "Use AWS region codes such as us-east-1, separated by commas.")).max(20, "List at most 20 regions.")),
});

export type AccountFormResult = { ok: true; input: AccountInput } | { ok: false; fieldErrors: Record<string, string> };

/**
 * Reads the whole account form and reports every bad field at once (the price and the
 * credentials are checked even when another field is wrong). Messages name the field and never
 * repeat what was typed into a credential field.
 */
export function parseAccountForm(raw: Record<string, string>): AccountFormResult {
  const fieldErrors: Record<string, string> = {};
  const fields = accountFieldsSchema.safeParse(raw);
  if (!fields.success) for (const issue of fields.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;

  let priceMinor: bigint | null = null;
  const currency = fields.success ? fields.data.priceCurrency : "USD";
  if (!raw.price?.trim()) fieldErrors.price = "Enter a price.";
  else {
    try {
      priceMinor = parseMoney(raw.price.trim(), currency).amount;
      if (priceMinor <= 0n) fieldErrors.price = "The price must be above zero.";
    } catch {
      fieldErrors.price = "Enter the price as a number with at most 2 decimals, such as 249.00.";
    }
  }

  let credentials: AwsCredentials | undefined;
  if (raw.accessKeyId?.trim() || raw.secretAccessKey?.trim()) {
    const parsed = awsCredentialsSchema.safeParse({ accessKeyId: raw.accessKeyId ?? "", secretAccessKey: raw.secretAccessKey ?? "" });
    if (parsed.success) credentials = parsed.data;
    else {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        fieldErrors[field] ??= `The ${field === "accessKeyId" ? "access key id" : "secret access key"} ${issue.message}.`;
      }
    }
  }

  if (!fields.success || priceMinor === null || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, input: { ...fields.data, priceMinor, ...(credentials ? { credentials } : {}) } };
}

/** Records one of the account's events with the admin as actor. */
function recordAccountEvent(tx: Executor, accountId: string, eventType: string, actor: AdminActor, now: Date, payload: Record<string, unknown>) {
  return recordEvent(tx, { aggregateType: "account", aggregateId: accountId, eventType, actor: { type: "admin", id: actor.adminId }, occurredAt: now, payload });
}

export async function createAccount(
  db: Db,
  input: AccountInput,
  actor: AdminActor,
  options: { status?: Extract<AccountStatus, "AVAILABLE" | "MAINTENANCE">; now?: Date } = {},
): Promise<string> {
  const now = options.now ?? new Date();
  const id = randomUUID();
  const { credentials, ...fields } = input;
  const status = options.status ?? "MAINTENANCE";
  return db.transaction(async (tx) => {
    await tx.insert(accounts).values({
      id,
      ...fields,
      status,
      ...(credentials ? sealCredentials(id, credentials) : {}),
      createdAt: now,
      updatedAt: now,
    });
    await recordAccountEvent(tx, id, "AccountCreated", actor, now, { accountId: id, name: fields.name, status, timestamp: now });
    return id;
  });
}

const FIELD_NAMES: (keyof AccountFields)[] = ["name", "displayName", "priceMinor", "priceCurrency", "instructions", "features", "limitations", "regions"];
const sameValue = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b);

async function lockAccount(tx: Executor, accountId: string) {
  const [row] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for("update");
  if (!row) throw new DomainError("account.not_found", "No such account.", { accountId });
  return row;
}

/**
 * Applies the edit and returns the names of the fields that changed ("awsCredentials" when new
 * credentials were given). `expectedUpdatedAt` is the version the admin's form was built from: an
 * account changed by someone else meanwhile is refused rather than silently overwritten.
 */
export async function updateAccount(
  db: Db,
  accountId: string,
  input: AccountInput,
  actor: AdminActor,
  options: { expectedUpdatedAt?: Date; now?: Date } = {},
): Promise<string[]> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const current = await lockAccount(tx, accountId);
    if (options.expectedUpdatedAt && current.updatedAt.getTime() !== options.expectedUpdatedAt.getTime()) {
      throw new DomainError("account.stale", "This account was changed by someone else since you opened it. Reload to see the changes, then edit again.", { accountId });
    }
    const { credentials, ...fields } = input;
    const changes: string[] = FIELD_NAMES.filter((f) => !sameValue(current[f], fields[f]));
    if (credentials) changes.push("awsCredentials");
    if (changes.length === 0) return [];
    await tx
      .update(accounts)
      .set({ ...fields, ...(credentials ? sealCredentials(accountId, credentials) : {}), updatedAt: now })
      .where(eq(accounts.id, accountId));
    await recordAccountEvent(tx, accountId, "AccountModified", actor, now, { accountId, adminId: actor.adminId, changes, timestamp: now });
    return changes;
  });
}

export function isAccountStatusValue(value: unknown): value is AccountStatus {
  return typeof value === "string" && (ACCOUNT_STATUSES as readonly string[]).includes(value);
}

/**
 * An admin's status change, by the domain's rules (lib/domain/account.ts): a SOLD account only
 * goes back to MAINTENANCE as an explicit relist. An account a buyer is paying for is left alone.
 */
export async function changeAccountStatus(
  db: Db,
  accountId: string,
  to: AccountStatus,
  actor: AdminActor,
  options: { relist?: boolean; now?: Date } = {},
): Promise<{ from: AccountStatus; to: AccountStatus }> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const current = await lockAccount(tx, accountId);
    if (current.status === to) throw new DomainError("account.same_status", `The account is already ${to.toLowerCase()}.`, { accountId });
    transitionAccountStatus(current.status, to, { relist: options.relist });
    const [reservation] = await tx
      .select({ until: accountOrders.reservedUntil })
      .from(accountOrders)
      .where(and(eq(accountOrders.accountId, accountId), eq(accountOrders.status, "reserved")))
      .limit(1);
    if (reservation) {
      throw new DomainError(
        "account.reserved",
        `A buyer is paying for this account (reserved until ${reservation.until.toISOString().slice(11, 16)} UTC). Change its status after the invoice is paid, expires or is cancelled.`,
        { accountId },
      );
    }
    await tx
      .update(accounts)
      .set({ status: to, soldAt: to === "SOLD" ? now : current.status === "SOLD" ? null : current.soldAt, updatedAt: now })
      .where(eq(accounts.id, accountId));
    await recordAccountEvent(tx, accountId, "AccountStatusChanged", actor, now, {
      accountId,
      oldStatus: current.status,
      newStatus: to,
      timestamp: now,
      ...(options.relist ? { relist: true } : {}),
    });
    return { from: current.status, to };
  });
}
