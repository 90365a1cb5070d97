import { describe, expect, it } from "vitest";
import {
  CurrencyMismatchError,
  DomainError,
  ExpiredRateError,
  IllegalTransitionError,
  InvalidAmountError,
  InvariantError,
} from "@/lib/domain";

describe("domain errors", () => {
  it.each([
    [new DomainError("x.y", "msg", { a: 1 }), "DomainError", "x.y"],
    [new IllegalTransitionError({ machine: "invoice", from: "paid", event: "cancel" }), "IllegalTransitionError", "invoice.illegal_transition"],
    [new IllegalTransitionError({ machine: "account", from: "SOLD", to: "AVAILABLE" }), "IllegalTransitionError", "account.illegal_transition"],
    [new CurrencyMismatchError("USD", "EUR"), "CurrencyMismatchError", "money.currency_mismatch"],
    [new InvalidAmountError("bad"), "InvalidAmountError", "money.invalid_amount"],
    [new ExpiredRateError(new Date(0), new Date(1)), "ExpiredRateError", "exchange_rate.expired"],
    [new InvariantError("broken"), "InvariantError", "invariant.violated"],
    [new InvariantError("broken", {}, "pricing.inconsistent"), "InvariantError", "pricing.inconsistent"],
  ])("%s has name %s and code %s", (error, name, code) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
  });

  it("IllegalTransitionError exposes its fields and details", () => {
    const error = new IllegalTransitionError({ machine: "payment", from: "failed", event: "back_to_mempool" });
    expect(error).toMatchObject({ machine: "payment", from: "failed", event: "back_to_mempool", to: undefined });
    expect(error.details).toEqual({ machine: "payment", from: "failed", event: "back_to_mempool" });
    expect(error.message).toContain("failed");
  });

  it("CurrencyMismatchError records both sides", () => {
    const error = new CurrencyMismatchError("BTC", "ETH");
    expect(error.details).toEqual({ left: "BTC", right: "ETH" });
  });
});
