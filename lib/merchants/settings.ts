import { and, asc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Executor } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { merchantPayoutSettings, merchants, merchantWallets } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { verifyPassword } from "@/lib/auth/password";
import { isValidAddress } from "@/lib/chains/addresses";
import { DomainError, NETWORKS, type Network, type OverpaymentAction } from "@/lib/domain";
import type { WalletMode } from "@/lib/merchants/wallets";

/**
 * The merchant's settings page: profile (merchants), payment defaults and redirect URL
 * (merchant_payout_settings, which createInvoice reads for every new invoice) and payout
 * addresses (merchant_wallets, one per configured network and mode). Each command validates its
 * raw form input, writes in one transaction with an AuditEntry, and reports bad input per field.
 */

/** Bad input: a message per field, named as the form names it. */
export class SettingsInputError extends DomainError {
  readonly fieldErrors: Record<string, string>;
  constructor(fieldErrors: Record<string, string>) {
    super("settings.invalid", Object.values(fieldErrors)[0] ?? "Check the highlighted fields", { field: Object.keys(fieldErrors)[0] });
    this.fieldErrors = fieldErrors;
  }
}

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "form")] ??= issue.message;
  return out;
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new SettingsInputError(fieldErrorsOf(parsed.error));
  return parsed.data;
}

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
// The same shape the merchants_contact_email_format check enforces, so a bad address is a field error, not a 500.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** https only, absolute, no credentials; empty clears it (checkout then shows its own receipt). */
const redirectUrlSchema = z
  .string()
  .trim()
  .max(2048, "Keep the URL under 2048 characters.")
  .regex(NO_CONTROL, "Remove the control characters from the URL.")
  .refine((v) => {
    if (v === "") return true;
    try {
      const url = new URL(v);
      return url.protocol === "https:" && url.hostname !== "" && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "Enter an https:// URL without a user name or password, or leave it empty.");

export const profileSchema = z.object({
  businessName: z
    .string()
    .trim()
    .min(2, "Use at least 2 characters.")
    .max(255, "Keep the name under 255 characters.")
    .regex(NO_CONTROL, "Use letters, numbers and punctuation only."),
  contactEmail: z
    .string()
    .trim()
    .max(254, "That email address is too long.")
    .regex(EMAIL, "Enter an email address such as you@example.com.")
    .regex(NO_CONTROL, "Enter an email address such as you@example.com."),
  redirectUrl: redirectUrlSchema,
  currentPassword: z.string().max(1024).optional(),
});

/** "0.5" or "0.50" (percent, at most 2 decimals) to basis points, exactly (no float). */
function percentToBps(value: string): number {
  const [whole, fraction = ""] = value.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}
const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;
const percentField = (max: number, label: string) =>
  z
    .string()
    .trim()
    .regex(PERCENT, `Enter a percentage such as 0.5 (at most 2 decimals).`)
    .transform(percentToBps)
    .refine((bps) => bps <= max * 100, `${label} must be between 0 and ${max.toFixed(2)} %.`);

export const EXPIRY_MINUTES = { min: 5, max: 10_080 } as const;
export const UNDERPAYMENT_MAX_PERCENT = 1;
export const OVERPAYMENT_MAX_PERCENT = 100;

export const paymentDefaultsSchema = z.object({
  underpaymentPercent: percentField(UNDERPAYMENT_MAX_PERCENT, "Underpayment tolerance"),
  overpaymentPercent: percentField(OVERPAYMENT_MAX_PERCENT, "Overpayment tolerance"),
  overpaymentAction: z.enum(["credit", "refund", "donate"], "Choose credit, refund or donate."),
  invoiceExpiryMinutes: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, "Enter a whole number of minutes.")
    .transform(Number)
    .refine(
      (m) => m >= EXPIRY_MINUTES.min && m <= EXPIRY_MINUTES.max,
      `Choose between ${EXPIRY_MINUTES.min} minutes and ${EXPIRY_MINUTES.max} minutes (7 days).`,
    ),
});

export type MerchantSettingsView = {
  profile: { businessName: string; contactEmail: string };
  payment: {
    underpaymentThresholdBps: number;
    overpaymentThresholdBps: number;
    overpaymentAction: OverpaymentAction;
    invoiceExpiryMinutes: number;
    redirectUrl: string | null;
  };
  wallets: { network: Network; mode: WalletMode; payoutAddress: string | null; keySummary: string; nextIndex: number }[];
};

const PAYMENT_DEFAULTS = { underpaymentThresholdBps: 50, overpaymentThresholdBps: 100, overpaymentAction: "credit", invoiceExpiryMinutes: 30 } as const;

/** Everything the settings page shows; null if there is no such merchant. No secret is selected. */
export async function getMerchantSettings(db: Executor, merchantId: string): Promise<MerchantSettingsView | null> {
  const [row] = await db
    .select({
      businessName: merchants.businessName,
      contactEmail: merchants.contactEmail,
      payout: {
        underpaymentThresholdBps: merchantPayoutSettings.underpaymentThresholdBps,
        overpaymentThresholdBps: merchantPayoutSettings.overpaymentThresholdBps,
        overpaymentAction: merchantPayoutSettings.overpaymentAction,
        invoiceExpiryMinutes: merchantPayoutSettings.invoiceExpiryMinutes,
        redirectUrl: merchantPayoutSettings.redirectUrl,
      },
    })
    .from(merchants)
    .leftJoin(merchantPayoutSettings, eq(merchantPayoutSettings.merchantId, merchants.id))
    .where(eq(merchants.id, merchantId));
  if (!row) return null;
  const wallets = await db
    .select({
      network: merchantWallets.network,
      mode: merchantWallets.mode,
      payoutAddress: merchantWallets.payoutAddress,
      extendedPublicKey: merchantWallets.extendedPublicKey,
      nextIndex: merchantWallets.nextIndex,
    })
    .from(merchantWallets)
    .where(eq(merchantWallets.merchantId, merchantId))
    .orderBy(asc(merchantWallets.network), asc(merchantWallets.mode));
  return {
    profile: { businessName: row.businessName, contactEmail: row.contactEmail },
    payment: row.payout ?? { ...PAYMENT_DEFAULTS, redirectUrl: null },
    wallets: wallets.map((w) => ({
      network: w.network,
      mode: w.mode,
      payoutAddress: w.payoutAddress,
      keySummary: `${w.extendedPublicKey.slice(0, 12)}…${w.extendedPublicKey.slice(-8)}`,
      nextIndex: w.nextIndex,
    })),
  };
}

/** Creates the merchant's payout settings row if it is missing (merchants made before sign-up created one). */
async function ensurePayoutSettings(tx: Executor, merchantId: string) {
  await tx.insert(merchantPayoutSettings).values({ merchantId }).onConflictDoNothing();
  const [row] = await tx.select().from(merchantPayoutSettings).where(eq(merchantPayoutSettings.merchantId, merchantId)).for("update");
  return row!;
}

function notFound(): DomainError {
  return new DomainError("merchant.not_found", "No such merchant");
}

/**
 * Business name, contact email (also the sign-in name, so changing it needs the current password)
 * and the default redirect URL for the checkout's "back to shop" link.
 */
export async function updateMerchantProfile(
  db: Db,
  merchantId: string,
  raw: { businessName?: unknown; contactEmail?: unknown; redirectUrl?: unknown; currentPassword?: unknown },
  context: AuditContext,
): Promise<void> {
  const input = parse(profileSchema, { ...raw, redirectUrl: raw.redirectUrl ?? "", currentPassword: raw.currentPassword || undefined });
  try {
    await db.transaction(async (tx) => {
      const [current] = await tx.select().from(merchants).where(eq(merchants.id, merchantId)).for("update");
      if (!current) throw notFound();
      const emailChanged = current.contactEmail.toLowerCase() !== input.contactEmail.toLowerCase();
      if (emailChanged) {
        if (!input.currentPassword) throw new SettingsInputError({ currentPassword: "Enter your current password to change the sign-in email." });
        if (!current.passwordHash || !(await verifyPassword(current.passwordHash, input.currentPassword))) {
          throw new SettingsInputError({ currentPassword: "That password is not correct." });
        }
        const [taken] = await tx
          .select({ id: merchants.id })
          .from(merchants)
          .where(and(eq(sql`lower(${merchants.contactEmail})`, input.contactEmail.toLowerCase()), ne(merchants.id, merchantId)));
        if (taken) throw new SettingsInputError({ contactEmail: "Another account uses this email." });
      }
      const payout = await ensurePayoutSettings(tx, merchantId);
      const redirectUrl = input.redirectUrl || null;
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (current.businessName !== input.businessName) changes.businessName = { from: current.businessName, to: input.businessName };
      if (current.contactEmail !== input.contactEmail) changes.contactEmail = { from: current.contactEmail, to: input.contactEmail };
      if (payout.redirectUrl !== redirectUrl) changes.redirectUrl = { from: payout.redirectUrl, to: redirectUrl };
      if (Object.keys(changes).length === 0) return;
      if (changes.businessName || changes.contactEmail) {
        await tx
          .update(merchants)
          .set({ businessName: input.businessName, contactEmail: input.contactEmail })
          .where(eq(merchants.id, merchantId));
      }
      if (changes.redirectUrl) {
        await tx.update(merchantPayoutSettings).set({ redirectUrl }).where(eq(merchantPayoutSettings.merchantId, merchantId));
      }
      await recordAudit(tx, { merchantId, event: "merchant.profile_updated", data: { changes } }, context);
    });
  } catch (error) {
    // Two merchants racing for one email: the unique index decides.
    if (isUniqueViolation(error)) throw new SettingsInputError({ contactEmail: "Another account uses this email." });
    throw error;
  }
}

/** Tolerances, overpayment action and invoice expiry: what the next invoice takes when its request names none. */
export async function updatePaymentDefaults(
  db: Db,
  merchantId: string,
  raw: { underpaymentPercent?: unknown; overpaymentPercent?: unknown; overpaymentAction?: unknown; invoiceExpiryMinutes?: unknown },
  context: AuditContext,
): Promise<void> {
  const input = parse(paymentDefaultsSchema, raw);
  await db.transaction(async (tx) => {
    const [merchant] = await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId));
    if (!merchant) throw notFound();
    const current = await ensurePayoutSettings(tx, merchantId);
    const next = {
      underpaymentThresholdBps: input.underpaymentPercent,
      overpaymentThresholdBps: input.overpaymentPercent,
      overpaymentAction: input.overpaymentAction,
      invoiceExpiryMinutes: input.invoiceExpiryMinutes,
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(next) as (keyof typeof next)[]) {
      if (current[key] !== next[key]) changes[key] = { from: current[key], to: next[key] };
    }
    if (Object.keys(changes).length === 0) return;
    await tx.update(merchantPayoutSettings).set(next).where(eq(merchantPayoutSettings.merchantId, merchantId));
    await recordAudit(tx, { merchantId, event: "merchant.payment_defaults_updated", data: { changes } }, context);
  });
}

/** The form field of one wallet's payout address: "bitcoin:live". */
export const payoutFieldName = (network: Network, mode: WalletMode) => `${network}:${mode}`;

/**
 * Payout addresses, one per configured wallet (network and mode): where the merchant settles to.
 * Checked with the chain's own validator (checksums included); test mode takes test-network
 * addresses. An empty field clears the address.
 */
export async function updatePayoutAddresses(
  db: Db,
  merchantId: string,
  raw: Record<string, unknown>,
  context: AuditContext,
): Promise<void> {
  const wanted = new Map<string, string>();
  const errors: Record<string, string> = {};
  for (const [field, value] of Object.entries(raw)) {
    const [network, mode, extra] = field.split(":");
    if (extra !== undefined || !(NETWORKS as readonly string[]).includes(network ?? "") || (mode !== "live" && mode !== "test")) {
      errors[field] = "Unknown network.";
      continue;
    }
    const address = typeof value === "string" ? value.trim() : "";
    if (address.length > 128) errors[field] = "That is too long for an address.";
    else if (address && !isValidAddress(network as Network, address, { testnet: mode === "test", regtest: mode === "test" })) {
      errors[field] = `Enter a valid ${network} ${mode === "test" ? "test-network" : "mainnet"} address (the checksum is checked).`;
    } else wanted.set(field, address);
  }
  if (Object.keys(errors).length) throw new SettingsInputError(errors);
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ network: merchantWallets.network, mode: merchantWallets.mode, payoutAddress: merchantWallets.payoutAddress })
      .from(merchantWallets)
      .where(eq(merchantWallets.merchantId, merchantId))
      .for("update");
    const byField = new Map(rows.map((r) => [payoutFieldName(r.network, r.mode), r]));
    for (const field of wanted.keys()) {
      if (!byField.has(field)) errors[field] = "Add an extended public key for this network and mode first (Wallets).";
    }
    if (Object.keys(errors).length) throw new SettingsInputError(errors);
    const changes: { network: Network; mode: WalletMode; from: string | null; to: string | null }[] = [];
    for (const [field, address] of wanted) {
      const row = byField.get(field)!;
      const to = address || null;
      if (row.payoutAddress === to) continue;
      await tx
        .update(merchantWallets)
        .set({ payoutAddress: to })
        .where(and(eq(merchantWallets.merchantId, merchantId), eq(merchantWallets.network, row.network), eq(merchantWallets.mode, row.mode)));
      changes.push({ network: row.network, mode: row.mode, from: row.payoutAddress, to });
    }
    if (changes.length === 0) return;
    await recordAudit(tx, { merchantId, event: "merchant.payout_addresses_updated", data: { changes } }, context);
  });
}
