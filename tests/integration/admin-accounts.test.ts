import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { accountOrders, accounts, outboxEvents } from "@/db/schema";
import { listActivity, listAdminAccounts, parseAdminAccountFilters } from "@/lib/accounts/admin-queries";
import { readAccountCredentials } from "@/lib/accounts/credentials";
import { parseAccountForm, changeAccountStatus, createAccount, updateAccount, type AccountInput } from "@/lib/accounts/service";
import { createTestMerchant } from "../helpers/merchant-fixtures";
import { preparePaymentDatabase, testInvoice } from "../helpers/payment-flow";
import { createTestAdmin } from "../helpers/admin-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";

let h: DatabaseHandle;
let db: Db;
let adminId: string;

const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

const input = (overrides: Partial<AccountInput> = {}): AccountInput => ({
  name: "acct-opus-east",
  displayName: "Opus 4 high quota, us-east-1",
  priceMinor: 24_900n,
  priceCurrency: "USD",
  instructions: "Rotate the key pair after sign-in.",
  features: ["Opus 4 enabled", "Cross-region inference"],
  limitations: ["No support plan"],
  regions: ["us-east-1", "us-west-2"],
  ...overrides,
});

async function eventsOf(accountId: string) {
  return db
    .select({ type: outboxEvents.eventType, payload: outboxEvents.payload, actorType: outboxEvents.actorType, actorId: outboxEvents.actorId })
    .from(outboxEvents)
    .where(eq(outboxEvents.aggregateId, accountId))
    .orderBy(asc(outboxEvents.sequence));
}

beforeAll(async () => {
  h = await createTestDatabase();
  db = h.db;
  adminId = await createTestAdmin(db);
});

afterAll(async () => {
  await h?.close();
});

describe(`admin account commands (${targetName()})`, () => {
  it("creates an account with sealed credentials and records AccountCreated by the admin", async () => {
    const id = await createAccount(db, input({ credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } }), { adminId });
    const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
    expect(row).toMatchObject({ status: "MAINTENANCE", accessKeyLast4: "MPLE", priceMinor: 24_900n, regions: ["us-east-1", "us-west-2"] });
    expect(JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(SECRET_KEY);
    expect(row!.credentialsCiphertext).not.toContain(ACCESS_KEY);
    expect(await readAccountCredentials(db, id)).toEqual({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY });
    const events = await eventsOf(id);
    expect(events).toEqual([
      expect.objectContaining({ type: "AccountCreated", actorType: "admin", actorId: adminId, payload: expect.objectContaining({ accountId: id, name: "acct-opus-east" }) }),
    ]);
    expect(JSON.stringify(events)).not.toContain(SECRET_KEY);
  });

  it("records AccountModified with exactly the changed fields, and nothing for a no-op save", async () => {
    const id = await createAccount(db, input(), { adminId });
    expect(await updateAccount(db, id, input(), { adminId })).toEqual([]);
    const changes = await updateAccount(db, id, input({ priceMinor: 19_900n, regions: ["eu-central-1"], credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } }), { adminId });
    expect(changes).toEqual(["priceMinor", "regions", "awsCredentials"]);
    const modified = (await eventsOf(id)).filter((e) => e.type === "AccountModified");
    expect(modified).toHaveLength(1);
    expect(modified[0]).toMatchObject({ actorId: adminId, payload: { accountId: id, adminId, changes: ["priceMinor", "regions", "awsCredentials"] } });
    expect(JSON.stringify(modified)).not.toContain(SECRET_KEY);
    expect((await readAccountCredentials(db, id)).accessKeyId).toBe(ACCESS_KEY);
  });

  it("refuses an edit built from an older version of the account", async () => {
    const id = await createAccount(db, input(), { adminId });
    const [before] = await db.select({ updatedAt: accounts.updatedAt }).from(accounts).where(eq(accounts.id, id));
    await updateAccount(db, id, input({ displayName: "Changed by someone else" }), { adminId }, { expectedUpdatedAt: before!.updatedAt });
    await expect(updateAccount(db, id, input({ priceMinor: 1n }), { adminId }, { expectedUpdatedAt: before!.updatedAt })).rejects.toMatchObject({ code: "account.stale" });
    const [after] = await db.select({ priceMinor: accounts.priceMinor }).from(accounts).where(eq(accounts.id, id));
    expect(after!.priceMinor).toBe(24_900n);
  });

  it("changes status by the domain's rules and records AccountStatusChanged", async () => {
    const id = await createAccount(db, input(), { adminId });
    await expect(changeAccountStatus(db, id, "SOLD", { adminId })).rejects.toMatchObject({ code: "account.illegal_transition" });
    await changeAccountStatus(db, id, "AVAILABLE", { adminId });
    await changeAccountStatus(db, id, "SOLD", { adminId });
    const [sold] = await db.select({ soldAt: accounts.soldAt }).from(accounts).where(eq(accounts.id, id));
    expect(sold!.soldAt).toBeInstanceOf(Date);
    await expect(changeAccountStatus(db, id, "MAINTENANCE", { adminId })).rejects.toMatchObject({ code: "account.illegal_transition" });
    await changeAccountStatus(db, id, "MAINTENANCE", { adminId }, { relist: true });
    await expect(changeAccountStatus(db, id, "MAINTENANCE", { adminId })).rejects.toMatchObject({ code: "account.same_status" });
    const moves = (await eventsOf(id)).filter((e) => e.type === "AccountStatusChanged").map((e) => [e.payload.oldStatus, e.payload.newStatus]);
    expect(moves).toEqual([["MAINTENANCE", "AVAILABLE"], ["AVAILABLE", "SOLD"], ["SOLD", "MAINTENANCE"]]);
    const [relisted] = await db.select({ soldAt: accounts.soldAt, status: accounts.status }).from(accounts).where(eq(accounts.id, id));
    expect(relisted).toEqual({ soldAt: null, status: "MAINTENANCE" });
  });

  it("leaves an account alone while a buyer's reservation holds it", async () => {
    await preparePaymentDatabase(db);
    const { merchantId } = await createTestMerchant(db);
    const id = await createAccount(db, input(), { adminId }, { status: "AVAILABLE" });
    const invoice = await testInvoice(db, merchantId, 249n, { cryptoCurrency: "ETH", network: "ethereum" });
    await db.insert(accountOrders).values({ accountId: id, invoiceId: invoice.id, priceMinor: 24_900n, priceCurrency: "USD", accessTokenHash: "h".repeat(64), reservedUntil: invoice.expiresAt });
    await expect(changeAccountStatus(db, id, "MAINTENANCE", { adminId })).rejects.toMatchObject({ code: "account.reserved" });
    const { rows } = await listAdminAccounts(db, parseAdminAccountFilters({ q: id }));
    expect(rows).toEqual([expect.objectContaining({ id, status: "AVAILABLE", reserved: true })]);
  });

  it("lists accounts by filters and shows the activity with the admin's name", async () => {
    const flagged = await createAccount(db, input({ name: "needle-flagged", displayName: "Flagged one" }), { adminId });
    await db.update(accounts).set({ needsReview: true, quotaError: "Access denied", quotaErrorAt: new Date() }).where(eq(accounts.id, flagged));
    const review = await listAdminAccounts(db, parseAdminAccountFilters({ flag: "review" }));
    expect(review.rows.map((r) => r.id)).toEqual([flagged]);
    const byName = await listAdminAccounts(db, parseAdminAccountFilters({ q: "NEEDLE" }));
    expect(byName.total).toBe(1);
    expect(Object.keys(byName.rows[0]!)).not.toContain("credentialsCiphertext");
    const wildcard = await listAdminAccounts(db, parseAdminAccountFilters({ q: "%" }));
    expect(wildcard.total).toBe(0);

    const { rows } = await listActivity(db, { accountId: flagged });
    expect(rows).toEqual([expect.objectContaining({ eventType: "AccountCreated", adminUsername: "ops", accountName: "Flagged one" })]);
    const page1 = await listActivity(db, {}, 2);
    const page2 = await listActivity(db, { before: page1.nextBefore! }, 2);
    expect(page2.rows[0]!.sequence).toBeLessThan(page1.rows[1]!.sequence);
  });
});

describe("the account form", () => {
  const form = (overrides: Record<string, string> = {}) => ({
    name: "acct",
    displayName: "Account",
    priceCurrency: "USD",
    price: "249.50",
    instructions: "",
    features: "One\n\n  Two  \n",
    limitations: "",
    regions: "us-east-1, US-WEST-2 us-east-1",
    accessKeyId: "",
    secretAccessKey: "",
    ...overrides,
  });

  it("parses money exactly, lines, regions and optional credentials", () => {
    const parsed = parseAccountForm(form());
    expect(parsed).toMatchObject({ ok: true, input: { priceMinor: 24_950n, features: ["One", "Two"], regions: ["us-east-1", "us-west-2"] } });
    expect(parsed.ok && parsed.input.credentials).toBeUndefined();
    const withKeys = parseAccountForm(form({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }));
    expect(withKeys.ok && withKeys.input.credentials).toEqual({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY });
  });

  it.each([
    [{ price: "12.345" }, "price"],
    [{ price: "0" }, "price"],
    [{ price: "abc" }, "price"],
    [{ name: "" }, "name"],
    [{ regions: "mars-1" }, "regions"],
    [{ accessKeyId: "not-a-key", secretAccessKey: SECRET_KEY }, "accessKeyId"],
    [{ accessKeyId: ACCESS_KEY }, "secretAccessKey"],
  ])("names the field for %o", (overrides, field) => {
    const result = parseAccountForm(form(overrides));
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.fieldErrors)).toContain(field);
    // An error message never repeats what was typed into a credential field.
    expect(JSON.stringify(result)).not.toContain(SECRET_KEY);
  });

  it("reports every bad field at once", () => {
    const result = parseAccountForm(form({ name: "", price: "1.234", accessKeyId: "", secretAccessKey: SECRET_KEY }));
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.fieldErrors).sort()).toEqual(["accessKeyId", "name", "price"]);
  });
});
