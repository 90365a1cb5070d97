import { createHash } from "node:crypto";
import { z } from "zod";
import type { NetworkConfig, ProviderConfig } from "@/db/schema";
import { DomainError, formatDecimalUnits, parseDecimalUnits } from "@/lib/domain";
import type { SystemConfig } from "@/lib/system-config";

/**
 * Validation of the SystemConfiguration sections (spec: at least one provider, at least one
 * network, payment and security settings in range, boolean feature flags). Every check names the
 * field it refuses, as the form's input name, so the settings page can put the message next to it.
 */

export type SystemConfigSection = keyof SystemConfig;
export const SYSTEM_CONFIG_SECTIONS: readonly SystemConfigSection[] = [
  "exchangeRateProviders",
  "blockchainNetworks",
  "paymentSettings",
  "securitySettings",
  "featureFlags",
];

/** A refused configuration value; `fieldErrors` maps input names to messages. */
export class SystemConfigInputError extends DomainError {
  readonly fieldErrors: Record<string, string>;
  constructor(fieldErrors: Record<string, string>) {
    const [field, message] = Object.entries(fieldErrors)[0] ?? ["form", "Invalid configuration"];
    super("system_config.invalid", `${field}: ${message}`, { fieldErrors });
    this.fieldErrors = fieldErrors;
  }
}

const KNOWN_PROVIDERS = ["coingecko", "binance", "kraken", "static"] as const;

export const serviceUrlSchema = z
  .string()
  .trim()
  .max(2_000, "Keep the URL under 2,000 characters.")
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), "Enter an http:// or https:// URL.");

const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number(`Enter the ${label} as a number.`)
    .int(`Enter the ${label} as a whole number.`)
    .min(min, `The ${label} must be at least ${min.toLocaleString("en-US")}.`)
    .max(max, `The ${label} must be at most ${max.toLocaleString("en-US")}.`);

export const paymentSettingsSchema = z.object({
  defaultExpiryMinutes: wholeNumber("default expiry", 5, 10_080),
  partialPaymentGraceMinutes: wholeNumber("grace period", 0, 1_440),
  rateLockMinutes: wholeNumber("rate lock", 1, 1_440),
});

export const securitySettingsSchema = z.object({
  allowPrivateWebhookTargets: z.boolean(),
  allowHttpWebhooksToLocalhost: z.boolean(),
  apiRateLimitPerMinute: wholeNumber("rate limit", 1, 100_000),
});

export const FEATURE_FLAG_NAME = /^[a-z][A-Za-z0-9]{1,39}$/;
export const featureFlagsSchema = z
  .record(z.string().regex(FEATURE_FLAG_NAME, "Name flags in camelCase, 2-40 letters and digits."), z.boolean())
  .refine((flags) => Object.keys(flags).length <= 50, "Keep at most 50 feature flags.");

export const MAX_TIERS = 5;

/** Problems with a network's confirmation tiers, keyed by the tier input that is wrong. */
export function tierErrors(tiers: NetworkConfig["confirmationTiers"]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (tiers.length === 0) return { "tiers.0.confirmations": "Give at least one tier." };
  if (tiers.length > MAX_TIERS) return { [`tiers.${MAX_TIERS}.upTo`]: `Use at most ${MAX_TIERS} tiers.` };
  tiers.forEach((tier, i) => {
    if (!Number.isInteger(tier.confirmations) || tier.confirmations < 1 || tier.confirmations > 1_000) {
      errors[`tiers.${i}.confirmations`] ??= "Confirmations must be a whole number from 1 to 1,000.";
    }
    const last = i === tiers.length - 1;
    if (last && tier.upToMinor !== null) errors[`tiers.${i}.upTo`] ??= "Leave the last tier's bound empty: it covers every larger amount.";
    if (!last && tier.upToMinor === null) errors[`tiers.${i}.upTo`] ??= "Only the last tier may be without a bound.";
    if (tier.upToMinor !== null && !/^[1-9]\d{0,17}$/.test(tier.upToMinor)) errors[`tiers.${i}.upTo`] ??= "Enter a bound above zero.";
    const prev = tiers[i - 1];
    if (prev && prev.upToMinor !== null && tier.upToMinor !== null && /^\d+$/.test(prev.upToMinor) && /^\d+$/.test(tier.upToMinor) && BigInt(tier.upToMinor) <= BigInt(prev.upToMinor)) {
      errors[`tiers.${i}.upTo`] ??= "Each bound must be above the one before.";
    }
    if (prev && tier.confirmations < prev.confirmations) errors[`tiers.${i}.confirmations`] ??= "Larger amounts cannot need fewer confirmations than smaller ones.";
  });
  return errors;
}

/** Checks a whole section as it would be stored; throws SystemConfigInputError naming the field. */
export function validateSection<K extends SystemConfigSection>(section: K, value: SystemConfig[K]): SystemConfig[K] {
  const fail = (field: string, message: string): never => {
    throw new SystemConfigInputError({ [field]: message });
  };
  const zodCheck = <T>(schema: z.ZodType<T>, v: unknown): T => {
    const parsed = schema.safeParse(v);
    if (parsed.success) return parsed.data;
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.map(String).join(".") || section] ??= issue.message;
    throw new SystemConfigInputError(fieldErrors);
  };
  switch (section) {
    case "paymentSettings":
      return zodCheck(paymentSettingsSchema, value) as SystemConfig[K];
    case "securitySettings":
      return zodCheck(securitySettingsSchema, value) as SystemConfig[K];
    case "featureFlags":
      return zodCheck(featureFlagsSchema, value) as SystemConfig[K];
    case "exchangeRateProviders": {
      const providers = value as ProviderConfig[];
      if (!Array.isArray(providers) || providers.length === 0) fail("exchangeRateProviders", "Keep at least one exchange rate provider.");
      for (const p of providers) {
        if (!(KNOWN_PROVIDERS as readonly string[]).includes(p.id)) fail("exchangeRateProviders", `Unknown provider "${String(p.id).slice(0, 40)}".`);
        if (p.baseUrl !== undefined && !serviceUrlSchema.safeParse(p.baseUrl).success) fail(`provider.${p.id}.baseUrl`, "Enter an http:// or https:// URL.");
      }
      if (new Set(providers.map((p) => p.id)).size !== providers.length) fail("exchangeRateProviders", "List each provider once.");
      if (!providers.some((p) => p.enabled)) fail("exchangeRateProviders", "Keep at least one provider enabled, or no invoice can be priced.");
      return value;
    }
    case "blockchainNetworks": {
      const networks = value as NetworkConfig[];
      if (!Array.isArray(networks) || networks.length === 0) fail("blockchainNetworks", "Keep at least one blockchain network.");
      const keys = networks.map((n) => `${n.network}:${n.testnet ? "test" : "live"}`);
      if (new Set(keys).size !== keys.length) fail("blockchainNetworks", "List each network and mode once.");
      for (const n of networks) {
        for (const field of ["rpcUrl", "apiUrl"] as const) {
          if (n[field] !== undefined && !serviceUrlSchema.safeParse(n[field]).success) fail(field, "Enter an http:// or https:// URL.");
        }
        const errors = tierErrors(n.confirmationTiers);
        if (Object.keys(errors).length > 0) throw new SystemConfigInputError(errors);
      }
      return value;
    }
  }
  return fail(section, "Unknown section.");
}

/** A URL that may hold a provider's key in its path, query or userinfo is shown as its origin only. */
export function maskUrl(value: string): { display: string; masked: boolean } {
  if (!URL.canParse(value)) return { display: "(invalid URL)", masked: true };
  const url = new URL(value);
  const keyLike = url.pathname.split("/").some((segment) => /^[A-Za-z0-9_-]{16,}$/.test(segment));
  if (url.username || url.password || url.search || keyLike) return { display: `${url.origin}/…`, masked: true };
  return { display: value, masked: false };
}

/** For the audit: masked URLs plus a short hash, so a change is visible without the secret in it. */
export function redactUrl(value: string): string {
  const { display, masked } = maskUrl(value);
  return masked ? `${display} (sha256 ${createHash("sha256").update(value).digest("hex").slice(0, 12)})` : display;
}

/** A section as the audit stores it: every URL redacted. */
export function redactSection(section: SystemConfigSection, value: unknown): unknown {
  if (section === "blockchainNetworks") {
    return (value as NetworkConfig[]).map((n) => ({
      ...n,
      ...(n.rpcUrl !== undefined ? { rpcUrl: redactUrl(n.rpcUrl) } : {}),
      ...(n.apiUrl !== undefined ? { apiUrl: redactUrl(n.apiUrl) } : {}),
    }));
  }
  if (section === "exchangeRateProviders") {
    return (value as ProviderConfig[]).map((p) => (p.baseUrl !== undefined ? { ...p, baseUrl: redactUrl(p.baseUrl) } : p));
  }
  return value;
}

type Raw = Record<string, string | undefined>;
const fieldsFail = (fieldErrors: Record<string, string>) => ({ ok: false as const, fieldErrors });

export function parsePaymentSettingsForm(raw: Raw) {
  const parsed = paymentSettingsSchema.safeParse({
    defaultExpiryMinutes: raw.defaultExpiryMinutes?.trim() || undefined,
    partialPaymentGraceMinutes: raw.partialPaymentGraceMinutes?.trim() || undefined,
    rateLockMinutes: raw.rateLockMinutes?.trim() || undefined,
  });
  if (parsed.success) return { ok: true as const, value: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
  return fieldsFail(fieldErrors);
}

export function parseSecuritySettingsForm(raw: Raw) {
  const parsed = securitySettingsSchema.safeParse({
    allowPrivateWebhookTargets: raw.allowPrivateWebhookTargets === "on",
    allowHttpWebhooksToLocalhost: raw.allowHttpWebhooksToLocalhost === "on",
    apiRateLimitPerMinute: raw.apiRateLimitPerMinute?.trim() || undefined,
  });
  if (parsed.success) return { ok: true as const, value: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
  return fieldsFail(fieldErrors);
}

/** Checkboxes "flag.<name>" for the listed names, plus an optional new flag (off until switched on). */
export function parseFeatureFlagsForm(raw: Raw, names: string[]) {
  const flags: Record<string, boolean> = {};
  for (const name of names) if (FEATURE_FLAG_NAME.test(name)) flags[name] = raw[`flag.${name}`] === "on";
  const added = raw.newFlag?.trim();
  if (added) {
    if (!FEATURE_FLAG_NAME.test(added)) return fieldsFail({ newFlag: "Name flags in camelCase, 2-40 letters and digits, such as newCheckout." });
    if (added in flags) return fieldsFail({ newFlag: "That flag already exists." });
    flags[added] = raw.newFlagEnabled === "on";
  }
  return { ok: true as const, value: flags };
}

/** The tier inputs shown for a network: its tiers with bounds in major units, plus one empty row. */
export function tierRows(tiers: NetworkConfig["confirmationTiers"]): { upTo: string; confirmations: string }[] {
  const rows = tiers.map((t) => ({ upTo: t.upToMinor === null ? "" : formatDecimalUnits(BigInt(t.upToMinor), 2), confirmations: String(t.confirmations) }));
  if (rows.length < MAX_TIERS) rows.push({ upTo: "", confirmations: "" });
  return rows;
}

/**
 * One network's form: URLs and tiers. A URL input left empty removes the URL, except where the
 * page hid the current value (`<field>Kept`): then empty keeps it, and `<field>Remove` removes it.
 * A URL field the form does not carry is kept.
 */
export function parseNetworkForm(raw: Raw, current: NetworkConfig) {
  const fieldErrors: Record<string, string> = {};
  const next: NetworkConfig = { network: current.network, testnet: current.testnet, confirmationTiers: [] };
  for (const field of ["rpcUrl", "apiUrl"] as const) {
    const typed = raw[field]?.trim() ?? "";
    if (raw[field] === undefined) {
      // Not on this form (each network shows the URL its adapter reads): left as it is.
      if (current[field] !== undefined) next[field] = current[field];
    } else if (typed) {
      const parsed = serviceUrlSchema.safeParse(typed);
      if (parsed.success) next[field] = parsed.data;
      else fieldErrors[field] = parsed.error.issues[0]!.message;
    } else if (raw[`${field}Kept`] === "1" && raw[`${field}Remove`] !== "on" && current[field] !== undefined) {
      next[field] = current[field];
    }
  }
  const rowOf: number[] = []; // tier index -> form row, since empty rows are skipped
  for (let i = 0; i < MAX_TIERS + 1; i++) {
    const upTo = raw[`tiers.${i}.upTo`]?.trim() ?? "";
    const confirmations = raw[`tiers.${i}.confirmations`]?.trim() ?? "";
    if (!upTo && !confirmations) continue;
    let upToMinor: string | null = null;
    if (upTo) {
      const parsed = parseDecimalUnits(upTo.replaceAll(",", ""), 2);
      if (!parsed.ok || parsed.units <= 0n) fieldErrors[`tiers.${i}.upTo`] ??= "Enter an amount above zero with at most 2 decimals, such as 1000.00.";
      else upToMinor = parsed.units.toString();
    }
    const count = /^\d{1,6}$/.test(confirmations) ? Number(confirmations) : NaN;
    if (Number.isNaN(count)) fieldErrors[`tiers.${i}.confirmations`] ??= "Enter the confirmations as a whole number.";
    next.confirmationTiers.push({ upToMinor, confirmations: count });
    rowOf.push(i);
  }
  // Rules across tiers are checked when every tier parsed, alongside any URL error, so the form shows all at once.
  const tierParseFailed = Object.keys(fieldErrors).some((key) => key.startsWith("tiers."));
  if (!tierParseFailed) {
    for (const [key, message] of Object.entries(tierErrors(next.confirmationTiers))) {
      fieldErrors[key.replace(/^tiers\.(\d+)/, (_, n: string) => `tiers.${rowOf[Number(n)] ?? n}`)] ??= message;
    }
  }
  if (Object.keys(fieldErrors).length > 0) return fieldsFail(fieldErrors);
  return { ok: true as const, value: next };
}
