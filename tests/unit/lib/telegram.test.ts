import { describe, expect, it } from "vitest";
import {
  TELEGRAM_MESSAGE_LIMIT,
  buildTelegramMessage,
  orderCode,
  telegramContactUrl,
  type TelegramInquiry,
} from "@/lib/telegram";

const inquiry: TelegramInquiry = {
  accountId: "3f9a1c2b-7d4e-4a6b-9c8d-0e1f2a3b4c5d",
  accountName: "Bedrock us-east-1 Opus",
  price: "$899.00",
  pageUrl: "https://shop.example.com/accounts/3f9a1c2b-7d4e-4a6b-9c8d-0e1f2a3b4c5d",
};

const textOf = (url: string) => new URL(url).searchParams.get("text");

describe("orderCode", () => {
  it("is ACC- plus the first 8 hex digits of the id, upper-cased", () => {
    expect(orderCode(inquiry.accountId)).toBe("ACC-3F9A1C2B");
  });

  it("skips non-hex characters and pads short ids", () => {
    expect(orderCode("ab-cd-xyz-12")).toBe("ACC-ABCD1200");
    expect(orderCode("")).toBe("ACC-00000000");
  });
});

describe("buildTelegramMessage", () => {
  it("starts with a pure-ASCII order code line", () => {
    const [first] = buildTelegramMessage({ ...inquiry, accountName: "账号 🚀" }).split("\n");
    expect(first).toMatch(/^ACC-[0-9A-F]{8}$/);
    expect(first).toMatch(/^[\x20-\x7E]+$/);
  });

  it("includes the name, id, price and page link", () => {
    const message = buildTelegramMessage(inquiry);
    expect(message.split("\n")).toEqual([
      "ACC-3F9A1C2B",
      "Hi! I'm interested in this account: Bedrock us-east-1 Opus",
      "Account ID: 3f9a1c2b-7d4e-4a6b-9c8d-0e1f2a3b4c5d",
      "Price: $899.00",
      inquiry.pageUrl,
    ]);
  });

  it("leaves a message at the limit alone and shortens one just over it", () => {
    const baseLength = buildTelegramMessage({ ...inquiry, accountName: "" }).length;
    const exact = buildTelegramMessage({ ...inquiry, accountName: "x".repeat(TELEGRAM_MESSAGE_LIMIT - baseLength) });
    expect(exact).toHaveLength(TELEGRAM_MESSAGE_LIMIT);
    expect(exact).not.toContain("…");

    const over = buildTelegramMessage({ ...inquiry, accountName: "x".repeat(TELEGRAM_MESSAGE_LIMIT - baseLength + 1) });
    expect(over.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(over).toContain("x…\n");
  });

  it("shortens a 10,000-character name to fit 4,096 characters, keeping id, price and link", () => {
    const message = buildTelegramMessage({ ...inquiry, accountName: "N".repeat(10_000) });
    expect(message.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(message.length).toBeGreaterThan(TELEGRAM_MESSAGE_LIMIT - 10); // shortened, not dropped
    const lines = message.split("\n");
    expect(lines[0]).toBe("ACC-3F9A1C2B");
    expect(lines[1]).toMatch(/^Hi! I'm interested in this account: N+…$/);
    expect(lines.slice(2)).toEqual([`Account ID: ${inquiry.accountId}`, `Price: ${inquiry.price}`, inquiry.pageUrl]);
  });
});

describe("telegramContactUrl", () => {
  it("has the shape https://t.me/<user>?text=...", () => {
    const url = telegramContactUrl("my_shop_bot", inquiry);
    expect(url.startsWith("https://t.me/my_shop_bot?text=")).toBe(true);
    const parsed = new URL(url);
    expect(parsed.protocol).toBe("https:");
    expect(parsed.host).toBe("t.me");
    expect(parsed.pathname).toBe("/my_shop_bot");
    expect([...parsed.searchParams.keys()]).toEqual(["text"]);
  });

  it("decodeURIComponent of the text parameter gives back exactly the message", () => {
    const url = telegramContactUrl("my_shop_bot", inquiry);
    const raw = url.slice(url.indexOf("?text=") + "?text=".length);
    expect(decodeURIComponent(raw)).toBe(buildTelegramMessage(inquiry));
    expect(textOf(url)).toBe(buildTelegramMessage(inquiry));
  });

  it.each([
    ["ampersand and equals", "A&B=C"],
    ["hash", "Tier #1"],
    ["question mark", "Why? Because"],
    ["plus", "Opus+Sonnet"],
    ["percent", "100% quota %20"],
    ["spaces and newlines", "two  spaces\nnew line\r\nCRLF"],
    ["emoji", "🚀 Fast 👩‍💻"],
    ["Chinese", "高配额账号（美国东部）"],
    ["everything", "A&B #1? x+y 50% 🚀 高配额\n/path?q=1&r=2"],
  ])("round-trips a name with %s", (_label, accountName) => {
    const url = telegramContactUrl("my_shop_bot", { ...inquiry, accountName });
    // Nothing leaks into the URL structure: no fragment, a single query parameter.
    const parsed = new URL(url);
    expect(parsed.hash).toBe("");
    expect([...parsed.searchParams.keys()]).toEqual(["text"]);
    expect(textOf(url)).toBe(buildTelegramMessage({ ...inquiry, accountName }));
    expect(textOf(url)).toContain(accountName);
    // Only URL-safe ASCII in the link itself.
    expect(url).toMatch(/^[A-Za-z0-9\-_.!~*'()%:/?=]+$/);
  });

  it("a 10,000-character name still yields a URL whose message fits and keeps id, price and link", () => {
    const url = telegramContactUrl("my_shop_bot", { ...inquiry, accountName: "高".repeat(10_000) });
    const text = textOf(url)!;
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(text).toContain(inquiry.accountId);
    expect(text).toContain(inquiry.price);
    expect(text).toContain(inquiry.pageUrl);
    expect(text.split("\n")[0]).toBe("ACC-3F9A1C2B");
  });

  // Cutting on UTF-16 units could split a surrogate pair, which encodeURIComponent rejects.
  it("a long emoji name is shortened without splitting a surrogate pair", () => {
    for (const pad of ["", "x"]) {
      const accountName = pad + "😀".repeat(5_000);
      const text = textOf(telegramContactUrl("my_shop_bot", { ...inquiry, accountName }))!;
      expect(text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
      expect(text).toContain(inquiry.pageUrl);
    }
  });
});
