import { describe, expect, it } from "vitest";
import { invertPrice, normalizePrice, parseJsonNumbersAsStrings } from "@/lib/rates";

describe("parseJsonNumbersAsStrings", () => {
  it("keeps every number literal's exact digits", () => {
    expect(parseJsonNumbersAsStrings('{"a":97123.45,"b":[1,-0.5,1.2e-7,0],"c":703456.78123456789}')).toEqual({
      a: "97123.45",
      b: ["1", "-0.5", "1.2e-7", "0"],
      c: "703456.78123456789",
    });
  });

  it("leaves digits inside strings (and escaped quotes) alone", () => {
    expect(parseJsonNumbersAsStrings('{"k\\"1":"x 12 \\\\","n":true,"z":null}')).toEqual({ 'k"1': "x 12 \\", n: true, z: null });
  });

  it.each(["{", "01", "1.", "-", "[1,]", "NaN", "{'a':1}", "1 2", ""])("rejects invalid JSON %j", (text) => {
    expect(() => parseJsonNumbersAsStrings(text)).toThrow(SyntaxError);
  });
});

describe("normalizePrice", () => {
  it.each([
    ["97123.45000000", "97123.45"],
    ["1.5e3", "1500"],
    ["1.2E-5", "0.000012"],
    // A 19th decimal is rounded half-even.
    ["0.0000000000000000015", "0.000000000000000002"],
    ["0.0000000000000000025", "0.000000000000000002"],
    ["97123.4500000000000000001", "97123.45"],
    ["42", "42"],
  ])("%s → %s", (input, expected) => {
    expect(normalizePrice(input)).toMatchObject({ ok: true, value: expected });
  });

  it("refuses a price that rounds to zero at 18 decimals", () => {
    expect(normalizePrice("0.0000000000000000005")).toEqual({ ok: false, reason: 'not positive ("0.0000000000000000005")' });
  });

  it.each(["", "abc", "-1", "0", "0.000", "1e999", "12,5", "+3", "Infinity", "1".repeat(21)])("refuses %j", (input) => {
    expect(normalizePrice(input).ok).toBe(false);
  });

  it("refuses non-strings", () => {
    expect(normalizePrice(97123.45)).toEqual({ ok: false, reason: "not a number (number)" });
    expect(normalizePrice(undefined)).toEqual({ ok: false, reason: "not a number (missing)" });
  });
});

describe("invertPrice", () => {
  it("divides exactly and rounds half-even to 18 decimals", () => {
    expect(invertPrice("1.0534")).toMatchObject({ ok: true, value: "0.949307005885703436" });
    expect(invertPrice("4")).toMatchObject({ ok: true, value: "0.25" });
    expect(invertPrice("3")).toMatchObject({ ok: true, value: "0.333333333333333333" });
    expect(invertPrice("0").ok).toBe(false);
  });
});
