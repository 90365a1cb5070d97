// Required confirmations by amount tier: larger payments wait for deeper confirmation.
import { DomainError } from "./errors";

export interface ConfirmationTier {
  /** Inclusive upper bound in minor units of the invoice's fiat total; null = no upper bound. */
  readonly upToMinor: string | null;
  readonly confirmations: number;
}

/** The confirmations of the first tier whose bound covers `totalMinor` (tiers in ascending order). */
export function requiredConfirmationsFor(tiers: readonly ConfirmationTier[], totalMinor: bigint): number {
  for (const tier of tiers) {
    if (!Number.isInteger(tier.confirmations) || tier.confirmations < 0) {
      throw new DomainError("confirmations.invalid_tier", "A confirmation tier needs a non-negative integer count", {
        tier,
      });
    }
    if (tier.upToMinor !== null && !/^\d{1,19}$/.test(tier.upToMinor)) {
      throw new DomainError("confirmations.invalid_tier", "A confirmation tier's bound must be a whole number of minor units", {
        tier,
      });
    }
  }
  const sorted = [...tiers].sort((a, b) => {
    if (a.upToMinor === null) return 1;
    if (b.upToMinor === null) return -1;
    const d = BigInt(a.upToMinor) - BigInt(b.upToMinor);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
  for (const tier of sorted) {
    if (tier.upToMinor === null || totalMinor <= BigInt(tier.upToMinor)) return tier.confirmations;
  }
  // No unbounded tier configured: amounts above the last bound need at least its confirmations.
  const last = sorted.at(-1);
  if (!last) throw new DomainError("confirmations.no_tiers", "No confirmation tiers are configured for this network");
  return last.confirmations;
}
