import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_STATUSES,
  AccountStatus,
  IllegalTransitionError,
  canTransitionAccountStatus,
  isInStock,
  relistAccount,
  transitionAccountStatus,
} from "@/lib/domain";

// Independent copy of the rule documented in lib/domain/account.ts.
const ALLOWED: ReadonlyArray<readonly [AccountStatus, AccountStatus]> = [
  ["AVAILABLE", "MAINTENANCE"],
  ["MAINTENANCE", "AVAILABLE"],
  ["AVAILABLE", "SOLD"],
];
const RELIST_ONLY: ReadonlyArray<readonly [AccountStatus, AccountStatus]> = [["SOLD", "MAINTENANCE"]];
const STATUSES: AccountStatus[] = ["AVAILABLE", "MAINTENANCE", "SOLD"];

const has = (list: typeof ALLOWED, from: string, to: string) => list.some(([f, t]) => f === from && t === to);

describe("account status", () => {
  it("mirrors the spec enum", () => {
    expect(AccountStatus).toEqual({ AVAILABLE: "AVAILABLE", MAINTENANCE: "MAINTENANCE", SOLD: "SOLD" });
    expect([...ACCOUNT_STATUSES].sort()).toEqual([...STATUSES].sort());
  });

  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
  it.each(pairs)("%s → %s", (from, to) => {
    const plain = has(ALLOWED, from, to);
    const withRelist = plain || has(RELIST_ONLY, from, to);
    expect(canTransitionAccountStatus(from, to)).toBe(plain);
    expect(canTransitionAccountStatus(from, to, { relist: true })).toBe(withRelist);
    if (plain) expect(transitionAccountStatus(from, to)).toBe(to);
    else {
      expect(() => transitionAccountStatus(from, to)).toThrow(IllegalTransitionError);
      try {
        transitionAccountStatus(from, to);
      } catch (error) {
        expect(error).toMatchObject({ machine: "account", from, to, code: "account.illegal_transition" });
      }
    }
  });

  it("MAINTENANCE → SOLD is refused: an account must be AVAILABLE to be sold", () => {
    expect(() => transitionAccountStatus("MAINTENANCE", "SOLD")).toThrow(IllegalTransitionError);
    expect(() => transitionAccountStatus("MAINTENANCE", "SOLD", { relist: true })).toThrow(IllegalTransitionError);
  });

  it("SOLD is final except an explicit admin relist to MAINTENANCE", () => {
    expect(() => transitionAccountStatus("SOLD", "AVAILABLE", { relist: true })).toThrow(IllegalTransitionError);
    expect(() => transitionAccountStatus("SOLD", "MAINTENANCE")).toThrow(IllegalTransitionError);
    expect(relistAccount("SOLD")).toBe("MAINTENANCE");
    expect(() => relistAccount("AVAILABLE")).toThrow(IllegalTransitionError);
    expect(() => relistAccount("MAINTENANCE")).toThrow(IllegalTransitionError);
  });

  it.each([
    ["AVAILABLE", true],
    ["MAINTENANCE", false],
    ["SOLD", false],
  ] as const)("isInStock(%s) = %s", (status, inStock) => {
    expect(isInStock(status)).toBe(inStock);
  });

  it("property: random target sequences only ever follow allowed edges", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...STATUSES), fc.boolean()), { maxLength: 40 }), (steps) => {
        let status: AccountStatus = "AVAILABLE";
        for (const [to, relist] of steps) {
          const before = status;
          try {
            status = transitionAccountStatus(before, to, { relist });
          } catch (error) {
            expect(error).toBeInstanceOf(IllegalTransitionError);
            expect(has(ALLOWED, before, to) || (relist && has(RELIST_ONLY, before, to))).toBe(false);
            continue;
          }
          expect(has(ALLOWED, before, to) || (relist && has(RELIST_ONLY, before, to))).toBe(true);
          expect(STATUSES).toContain(status);
        }
      }),
    );
  });
});
