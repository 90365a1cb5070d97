// Axis scaling in bigint, so a chart of money never turns an amount into a float: the only
// floating-point number is a bar's height as a share of the axis, which is display, not money.

const STEPS = [1n, 2n, 4n, 5n, 10n];

/** The smallest "round" value ≥ max: 1, 2, 4, 5 × 10^k (1 for an empty or all-zero series). */
export function niceCeiling(max: bigint): bigint {
  if (max <= 1n) return 1n;
  let magnitude = 1n;
  while (magnitude * 10n < max) magnitude *= 10n;
  for (const step of STEPS) if (step * magnitude >= max) return step * magnitude;
  return 10n * magnitude;
}

/** value / axisMax as a percentage with two decimals, computed in integers. */
export function percentOf(value: bigint, axisMax: bigint): number {
  if (axisMax <= 0n || value <= 0n) return 0;
  const clamped = value > axisMax ? axisMax : value;
  return Number((clamped * 10_000n) / axisMax) / 100;
}

export function maxOf(values: readonly bigint[]): bigint {
  return values.reduce((m, v) => (v > m ? v : m), 0n);
}
