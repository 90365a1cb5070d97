import { and, desc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEntries, invoices, merchantPayoutSettings, merchants, merchantWallets, systemConfiguration } from "@/db/schema";
import { deriveInvoiceAddress } from "@/lib/chains/addresses";
import { DomainError } from "@/lib/domain";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { signInMerchant } from "@/lib/merchants/accounts";
import {
  getMerchantSettings,
  SettingsInputError,
  updateMerchantProfile,
  updatePaymentDefaults,
  updatePayoutAddresses,
} from "@/lib/merchants/settings";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig } from "@/lib/system-config";
import { createTestMerchant, MERCHANT_AUDIT, seedFreshRates, walletKeys } from "../helpers/merchant-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";

const PASSWORD = "a-long-merchant-password"; // createTestMerchant's
const policy = { maxFailures: 5, lockSeconds: 60, windowSeconds: 900 };

/** The field errors `promise` was refused with (failing if it resolved or threw anything else). */
async function fieldErrors(promise: Promise<unknown>): Promise<Record<string, string>> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, "expected a SettingsInputError").toBeInstanceOf(SettingsInputError);
  return (error as SettingsInputError).fieldErrors;
}

/** `s` with the character at `i` in the other case (breaks an EIP-55 checksum when it is a hex letter). */
const flipCase = (s: string, i: number) => s.slice(0, i) + (s[i] === s[i]!.toLowerCase() ? s[i]!.toUpperCase() : s[i]!.toLowerCase()) + s.slice(i + 1);

const defaults = { underpaymentPercent: "0.50", overpaymentPercent: "1.00", overpaymentAction: "credit", invoiceExpiryMinutes: "30" };

describe(`merchant settings (${targetName()})`, () => {
  let h: DatabaseHandle;
  let merchantId: string;
  let otherId: string;
  const audit = () => ({ ...MERCHANT_AUDIT, actor: { type: "merchant" as const, id: merchantId } });

  beforeAll(async () => {
    h = await createTestDatabase();
    await h.db.insert(systemConfiguration).values({ ...DEFAULT_SYSTEM_CONFIG, exchangeRateProviders: [{ id: "static", enabled: false, priority: 1 }] });
    invalidateSystemConfig(h.db);
    await seedFreshRates(h.db);
    merchantId = (await createTestMerchant(h.db, { account: 401 })).merchantId;
    otherId = (await createTestMerchant(h.db, { account: 402 })).merchantId;
  });
  afterAll(async () => h?.close());

  const payoutRow = async (id: string) => (await h.db.select().from(merchantPayoutSettings).where(eq(merchantPayoutSettings.merchantId, id)))[0]!;
  const settingsAudits = (id: string) =>
    h.db.select().from(auditEntries).where(and(eq(auditEntries.merchantId, id), like(auditEntries.event, "merchant.%"))).orderBy(desc(auditEntries.createdAt));
  const newInvoice = (over: Partial<Parameters<typeof createInvoice>[1]> = {}) =>
    createInvoice(
      h.db,
      { merchantId, mode: "test", title: "Beans", currency: "USD", items: [{ description: "x", quantity: 1n, unitPriceMinor: 1000n }], cryptoCurrency: "BTC", network: "bitcoin", ...over },
      MERCHANT_AUDIT,
    );

  it("reads the defaults: profile, the schema's payment defaults, and one row per configured wallet, with no secret", async () => {
    const s = (await getMerchantSettings(h.db, merchantId))!;
    expect(s.profile.businessName).toBe("Merchant 401");
    expect(s.payment).toEqual({ underpaymentThresholdBps: 50, overpaymentThresholdBps: 100, overpaymentAction: "credit", invoiceExpiryMinutes: 30, redirectUrl: null });
    expect(s.wallets.map((w) => `${w.network}:${w.mode}`)).toEqual(["bitcoin:live", "bitcoin:test", "ethereum:live", "ethereum:test", "tron:live", "tron:test"]);
    expect(JSON.stringify(s)).not.toMatch(/password|hash/i);
    expect(await getMerchantSettings(h.db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  describe("payment defaults", () => {
    it("saves, audits the change, and the next invoice takes the new expiry, tolerances and action; the request's own values still win", async () => {
      const before = await newInvoice();
      expect(before.expiresAt.getTime() - before.createdAt.getTime()).toBe(30 * 60_000);
      expect(before).toMatchObject({ underpaymentThresholdBps: 50, overpaymentThresholdBps: 100, overpaymentAction: "credit" });

      await updatePaymentDefaults(h.db, merchantId, { underpaymentPercent: "0.75", overpaymentPercent: "12.5", overpaymentAction: "refund", invoiceExpiryMinutes: " 90 " }, audit());
      expect(await payoutRow(merchantId)).toMatchObject({ underpaymentThresholdBps: 75, overpaymentThresholdBps: 1250, overpaymentAction: "refund", invoiceExpiryMinutes: 90 });
      const [entry] = await settingsAudits(merchantId);
      expect(entry).toMatchObject({ event: "merchant.payment_defaults_updated", actorType: "merchant", actorId: merchantId, ipAddress: "198.51.100.7" });
      expect(entry!.data).toEqual({
        changes: {
          underpaymentThresholdBps: { from: 50, to: 75 },
          overpaymentThresholdBps: { from: 100, to: 1250 },
          overpaymentAction: { from: "credit", to: "refund" },
          invoiceExpiryMinutes: { from: 30, to: 90 },
        },
      });

      const after = await newInvoice();
      expect(after.expiresAt.getTime() - after.createdAt.getTime()).toBe(90 * 60_000);
      expect(after).toMatchObject({ underpaymentThresholdBps: 75, overpaymentThresholdBps: 1250, overpaymentAction: "refund" });
      const explicit = await newInvoice({ expiresInMinutes: 15, tolerance: { underpaymentBps: 10, overpaymentBps: 20, overpaymentAction: "donate" } });
      expect(explicit.expiresAt.getTime() - explicit.createdAt.getTime()).toBe(15 * 60_000);
      expect(explicit).toMatchObject({ underpaymentThresholdBps: 10, overpaymentThresholdBps: 20, overpaymentAction: "donate" });

      // Already-issued invoices keep their terms.
      const [kept] = await h.db.select().from(invoices).where(eq(invoices.id, before.id));
      expect(kept!.underpaymentThresholdBps).toBe(50);

      // Another merchant's defaults are untouched; saving the same values again writes no audit entry.
      expect(await payoutRow(otherId)).toMatchObject({ underpaymentThresholdBps: 50, invoiceExpiryMinutes: 30 });
      const count = (await settingsAudits(merchantId)).length;
      await updatePaymentDefaults(h.db, merchantId, { underpaymentPercent: "0.75", overpaymentPercent: "12.50", overpaymentAction: "refund", invoiceExpiryMinutes: "90" }, audit());
      expect((await settingsAudits(merchantId)).length).toBe(count);
      await updatePaymentDefaults(h.db, merchantId, defaults, audit());
    });

    it.each([
      [{ underpaymentPercent: "1.01" }, "underpaymentPercent", /between 0 and 1.00/],
      [{ underpaymentPercent: "-0.1" }, "underpaymentPercent", /percentage/],
      [{ underpaymentPercent: "0.125" }, "underpaymentPercent", /2 decimals/],
      [{ underpaymentPercent: "" }, "underpaymentPercent", /percentage/],
      [{ overpaymentPercent: "100.01" }, "overpaymentPercent", /between 0 and 100.00/],
      [{ overpaymentPercent: "1e2" }, "overpaymentPercent", /percentage/],
      [{ overpaymentAction: "burn" }, "overpaymentAction", /credit, refund or donate/],
      [{ invoiceExpiryMinutes: "4" }, "invoiceExpiryMinutes", /between 5 minutes and 10080/],
      [{ invoiceExpiryMinutes: "10081" }, "invoiceExpiryMinutes", /between 5 minutes and 10080/],
      [{ invoiceExpiryMinutes: "30.5" }, "invoiceExpiryMinutes", /whole number/],
      [{ invoiceExpiryMinutes: undefined }, "invoiceExpiryMinutes", /.+/],
    ])("refuses %o naming %s, and changes nothing", async (bad, field, message) => {
      const before = await payoutRow(merchantId);
      const audits = (await settingsAudits(merchantId)).length;
      const errors = await fieldErrors(updatePaymentDefaults(h.db, merchantId, { ...defaults, ...bad }, audit()));
      expect(Object.keys(errors)).toEqual([field]);
      expect(errors[field]).toMatch(message);
      expect(await payoutRow(merchantId)).toEqual(before);
      expect((await settingsAudits(merchantId)).length).toBe(audits);
    });

    it("accepts the bounds exactly", async () => {
      await updatePaymentDefaults(h.db, merchantId, { underpaymentPercent: "1", overpaymentPercent: "100.00", overpaymentAction: "donate", invoiceExpiryMinutes: "10080" }, audit());
      expect(await payoutRow(merchantId)).toMatchObject({ underpaymentThresholdBps: 100, overpaymentThresholdBps: 10000, invoiceExpiryMinutes: 10080 });
      await updatePaymentDefaults(h.db, merchantId, { underpaymentPercent: "0", overpaymentPercent: "0.00", overpaymentAction: "credit", invoiceExpiryMinutes: "5" }, audit());
      expect(await payoutRow(merchantId)).toMatchObject({ underpaymentThresholdBps: 0, overpaymentThresholdBps: 0, invoiceExpiryMinutes: 5 });
      await updatePaymentDefaults(h.db, merchantId, defaults, audit());
    });

    it("creates the payout settings row for a merchant that has none, and refuses an unknown merchant", async () => {
      await h.db.delete(merchantPayoutSettings).where(eq(merchantPayoutSettings.merchantId, otherId));
      expect((await getMerchantSettings(h.db, otherId))!.payment.invoiceExpiryMinutes).toBe(30);
      await updatePaymentDefaults(h.db, otherId, { ...defaults, invoiceExpiryMinutes: "45" }, MERCHANT_AUDIT);
      expect((await payoutRow(otherId)).invoiceExpiryMinutes).toBe(45);
      const error = await updatePaymentDefaults(h.db, "00000000-0000-4000-8000-000000000000", defaults, MERCHANT_AUDIT).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("merchant.not_found");
    });
  });

  describe("profile", () => {
    const current = async () => (await getMerchantSettings(h.db, merchantId))!;

    it("saves the business name and an https redirect URL (audited), which the next invoice uses; empty clears it", async () => {
      const { contactEmail } = (await current()).profile;
      await updateMerchantProfile(h.db, merchantId, { businessName: "  Roastery Ltd ", contactEmail, redirectUrl: "https://shop.example.com/thanks?from=pay" }, audit());
      const s = await current();
      expect(s.profile.businessName).toBe("Roastery Ltd");
      expect(s.payment.redirectUrl).toBe("https://shop.example.com/thanks?from=pay");
      const [entry] = await settingsAudits(merchantId);
      expect(entry).toMatchObject({ event: "merchant.profile_updated", actorId: merchantId });
      expect(entry!.data).toEqual({
        changes: { businessName: { from: "Merchant 401", to: "Roastery Ltd" }, redirectUrl: { from: null, to: "https://shop.example.com/thanks?from=pay" } },
      });
      expect((await newInvoice()).redirectUrl).toBe("https://shop.example.com/thanks?from=pay");
      expect((await newInvoice({ redirectUrl: "https://elsewhere.example/" })).redirectUrl).toBe("https://elsewhere.example/");

      await updateMerchantProfile(h.db, merchantId, { businessName: "Roastery Ltd", contactEmail, redirectUrl: "" }, audit());
      expect((await current()).payment.redirectUrl).toBeNull();
      expect((await newInvoice()).redirectUrl).toBeNull();
    });

    it.each([
      ["businessName", { businessName: "R" }, /at least 2/],
      ["businessName", { businessName: "Bad\u0000name" }, /letters/],
      ["contactEmail", { contactEmail: "not-an-email" }, /email address/],
      ["contactEmail", { contactEmail: "a@b" }, /email address/],
      ["redirectUrl", { redirectUrl: "http://shop.example.com/thanks" }, /https:\/\//],
      ["redirectUrl", { redirectUrl: "javascript:alert(1)" }, /https:\/\//],
      ["redirectUrl", { redirectUrl: "https://user:pw@shop.example.com/" }, /without a user name/],
      ["redirectUrl", { redirectUrl: "shop.example.com" }, /https:\/\//],
      ["redirectUrl", { redirectUrl: `https://shop.example.com/${"a".repeat(2030)}` }, /2048/],
    ])("refuses a bad %s (case %$), and changes nothing", async (field, bad, message) => {
      const before = await current();
      const errors = await fieldErrors(updateMerchantProfile(h.db, merchantId, { ...before.profile, redirectUrl: "", ...bad }, audit()));
      expect(errors[field]).toMatch(message);
      expect(await current()).toEqual(before);
    });

    it("changes the sign-in email only with the current password, and refuses an email another account uses", async () => {
      const before = await current();
      const { contactEmail: otherEmail } = (await getMerchantSettings(h.db, otherId))!.profile;
      const newEmail = `renamed-${Date.now()}@example.com`;
      const base = { businessName: before.profile.businessName, redirectUrl: "" };

      expect(await fieldErrors(updateMerchantProfile(h.db, merchantId, { ...base, contactEmail: newEmail }, audit()))).toEqual({
        currentPassword: "Enter your current password to change the sign-in email.",
      });
      expect(await fieldErrors(updateMerchantProfile(h.db, merchantId, { ...base, contactEmail: newEmail, currentPassword: "wrong-password-123" }, audit()))).toEqual({
        currentPassword: "That password is not correct.",
      });
      expect(await fieldErrors(updateMerchantProfile(h.db, merchantId, { ...base, contactEmail: otherEmail.toUpperCase(), currentPassword: PASSWORD }, audit()))).toEqual({
        contactEmail: "Another account uses this email.",
      });
      expect(await current()).toEqual(before);

      // Only the case changed: the same sign-in name, so no password is needed.
      await updateMerchantProfile(h.db, merchantId, { ...base, contactEmail: before.profile.contactEmail.toUpperCase() }, audit());
      expect((await current()).profile.contactEmail).toBe(before.profile.contactEmail.toUpperCase());

      await updateMerchantProfile(h.db, merchantId, { ...base, contactEmail: newEmail, currentPassword: PASSWORD }, audit());
      expect((await current()).profile.contactEmail).toBe(newEmail);
      expect((await signInMerchant(h.db, { email: newEmail, password: PASSWORD }, policy)).ok).toBe(true);
      expect((await signInMerchant(h.db, { email: before.profile.contactEmail, password: PASSWORD }, policy)).ok).toBe(false);
      const [other] = await h.db.select({ email: merchants.contactEmail }).from(merchants).where(eq(merchants.id, otherId));
      expect(other!.email).toBe(otherEmail);
    });
  });

  describe("payout addresses", () => {
    const keys = walletKeys(401);
    const btcLive = deriveInvoiceAddress("bitcoin", keys.bitcoinLive, 900, { testnet: false });
    const btcTest = deriveInvoiceAddress("bitcoin", keys.bitcoinTest, 900, { testnet: true });
    const eth = deriveInvoiceAddress("ethereum", keys.ethereumLive, 900, { testnet: false });
    const tron = deriveInvoiceAddress("tron", keys.tronLive, 900, { testnet: false });
    const walletRows = (id: string) => h.db.select().from(merchantWallets).where(eq(merchantWallets.merchantId, id));

    it("saves valid addresses per network and mode (audited), and an empty field clears one", async () => {
      await updatePayoutAddresses(h.db, merchantId, { "bitcoin:live": ` ${btcLive} `, "bitcoin:test": btcTest, "ethereum:live": eth, "tron:live": tron }, audit());
      const byKey = Object.fromEntries((await getMerchantSettings(h.db, merchantId))!.wallets.map((w) => [`${w.network}:${w.mode}`, w.payoutAddress]));
      expect(byKey).toEqual({ "bitcoin:live": btcLive, "bitcoin:test": btcTest, "ethereum:live": eth, "ethereum:test": null, "tron:live": tron, "tron:test": null });
      const [entry] = await settingsAudits(merchantId);
      expect(entry!.event).toBe("merchant.payout_addresses_updated");
      expect((entry!.data as { changes: unknown[] }).changes).toHaveLength(4);

      await updatePayoutAddresses(h.db, merchantId, { "tron:live": "" }, audit());
      expect((await walletRows(merchantId)).find((w) => w.network === "tron" && w.mode === "live")!.payoutAddress).toBeNull();
      // The other merchant's wallets are untouched.
      expect((await walletRows(otherId)).every((w) => w.payoutAddress === null)).toBe(true);
    });

    it.each([
      ["ethereum:live", eth.toLowerCase().replace(/^0x/, "0X"), /valid ethereum mainnet/],
      ["ethereum:live", flipCase(eth, eth.search(/[a-fA-F]/)), /checksum/],
      ["tron:live", tron.slice(0, -1) + (tron.endsWith("a") ? "b" : "a"), /valid tron/],
      ["bitcoin:live", btcTest, /valid bitcoin mainnet/],
      ["bitcoin:test", btcLive, /valid bitcoin test-network/],
      ["bitcoin:live", "x".repeat(200), /too long/],
      ["solana:live", "anything", /Unknown network/],
      ["bitcoin:live:extra", btcLive, /Unknown network/],
    ])("refuses %s = %s naming the field, and changes nothing", async (field, address, message) => {
      const before = await walletRows(merchantId);
      const errors = await fieldErrors(updatePayoutAddresses(h.db, merchantId, { "bitcoin:test": btcTest, [field]: address }, audit()));
      expect(Object.keys(errors)).toEqual([field]);
      expect(errors[field]).toMatch(message);
      expect(await walletRows(merchantId)).toEqual(before);
    });

    it("refuses an address for a network and mode without a configured key", async () => {
      const bare = (await createTestMerchant(h.db, { account: 403, wallets: false })).merchantId;
      expect((await getMerchantSettings(h.db, bare))!.wallets).toEqual([]);
      const errors = await fieldErrors(updatePayoutAddresses(h.db, bare, { "bitcoin:live": btcLive }, MERCHANT_AUDIT));
      expect(errors).toEqual({ "bitcoin:live": "Add an extended public key for this network and mode first (Wallets)." });
      expect(await walletRows(bare)).toEqual([]);
    });
  });
});
