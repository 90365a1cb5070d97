import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * public/embed.js runs in jsdom the way a browser runs it: as a classic script whose
 * document.currentScript is a <script src="http://localhost:3000/embed.js"> element.
 */

const SCRIPT_ORIGIN = "http://localhost:3000";
const code = readFileSync(path.join(process.cwd(), "public/embed.js"), "utf8");

function loadEmbedScript() {
  const script = document.createElement("script");
  script.src = `${SCRIPT_ORIGIN}/embed.js`;
  document.head.append(script);
  Object.defineProperty(document, "currentScript", { configurable: true, get: () => script });
  try {
    new Function(code)();
  } finally {
    Object.defineProperty(document, "currentScript", { configurable: true, get: () => null });
  }
}

function addTrigger(url: string, tag: "button" | "a" = "button"): HTMLElement {
  const el = document.createElement(tag);
  el.setAttribute("data-crypto-checkout", url);
  el.textContent = "Pay with crypto";
  if (tag === "a") el.setAttribute("href", url);
  document.body.append(el);
  return el;
}

const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]');
const frame = () => dialog()?.querySelector("iframe") ?? null;
const closeButton = () => document.querySelector<HTMLButtonElement>('button[aria-label="Close checkout"]');
const pressEscape = () => document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));

function postFromCheckout(data: unknown, origin = SCRIPT_ORIGIN, source: Window | null = frame()?.contentWindow ?? null) {
  window.dispatchEvent(new MessageEvent("message", { data, origin, source }));
}

beforeAll(() => {
  loadEmbedScript();
});

afterEach(() => {
  if (dialog()) pressEscape();
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

describe("public/embed.js", () => {
  it("is small, plain browser JavaScript", () => {
    expect(Buffer.byteLength(code)).toBeLessThan(6 * 1024);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
  });

  it("opens a modal dialog with the checkout in an iframe, with embed=1", () => {
    const trigger = addTrigger(`${SCRIPT_ORIGIN}/pay/link/9f0c1b2e-3d4a-4b5c-8d6e-7f8091a2b3c4`);
    trigger.focus();
    trigger.click();

    const d = dialog();
    expect(d).not.toBeNull();
    expect(d!.getAttribute("aria-modal")).toBe("true");
    expect(d!.getAttribute("aria-label")).toBe("Checkout");
    const src = new URL(frame()!.getAttribute("src")!);
    expect(src.origin).toBe(SCRIPT_ORIGIN);
    expect(src.pathname).toBe("/pay/link/9f0c1b2e-3d4a-4b5c-8d6e-7f8091a2b3c4");
    expect(src.searchParams.get("embed")).toBe("1");
    expect(document.activeElement).toBe(closeButton());
    expect(document.body.style.overflow).toBe("hidden");
  });

  it("keeps the URL's own query and accepts invoice URLs too", () => {
    addTrigger(`${SCRIPT_ORIGIN}/pay/3f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9?lang=en#top`).click();
    const src = new URL(frame()!.getAttribute("src")!);
    expect(src.pathname).toBe("/pay/3f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
    expect(src.searchParams.get("lang")).toBe("en");
    expect(src.searchParams.get("embed")).toBe("1");
    expect(src.hash).toBe("");
  });

  it("closes on Escape, returns focus to the trigger, unlocks scrolling and reports crypto-checkout:closed", () => {
    document.body.style.overflow = "auto";
    const trigger = addTrigger(`${SCRIPT_ORIGIN}/pay/link/abc123`);
    const closed = vi.fn();
    trigger.addEventListener("crypto-checkout:closed", closed);
    trigger.focus();
    trigger.click();
    expect(dialog()).not.toBeNull();

    pressEscape();

    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(trigger);
    expect(document.body.style.overflow).toBe("auto");
    expect(closed).toHaveBeenCalledTimes(1);
    expect((closed.mock.calls[0]![0] as CustomEvent).detail).toEqual({ invoiceId: null, paid: false });
  });

  it("closes with the close button and on a backdrop click, but not on a click inside the dialog", () => {
    const trigger = addTrigger(`${SCRIPT_ORIGIN}/pay/link/abc123`);
    trigger.click();
    closeButton()!.click();
    expect(dialog()).toBeNull();

    trigger.click();
    dialog()!.click();
    expect(dialog()).not.toBeNull();
    dialog()!.parentElement!.click(); // the backdrop
    expect(dialog()).toBeNull();
  });

  it("keeps focus inside the dialog", () => {
    const outside = document.createElement("input");
    document.body.append(outside);
    addTrigger(`${SCRIPT_ORIGIN}/pay/link/abc123`).click();
    outside.focus();
    expect(document.activeElement).toBe(closeButton());
  });

  it("refuses a URL on another origin, or not a checkout, with a console warning", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const url of [
      "https://evil.example/pay/link/abc123",
      `${SCRIPT_ORIGIN}/merchant/api-keys`,
      `${SCRIPT_ORIGIN}/pay/link/abc123/../../../admin`,
      "javascript:alert(1)",
      "/pay/link/abc123.evil",
    ]) {
      addTrigger(url).click();
      expect(dialog(), url).toBeNull();
    }
    expect(warn).toHaveBeenCalledTimes(5);
    expect(String(warn.mock.calls[0]![0])).toContain("https://evil.example/pay/link/abc123");
    expect(document.querySelector("iframe")).toBeNull();
  });

  it("works for triggers added after the script loaded, including elements inside them", () => {
    const trigger = addTrigger(`${SCRIPT_ORIGIN}/pay/link/late`);
    const inner = document.createElement("span");
    inner.textContent = "₿";
    trigger.append(inner);
    inner.click();
    expect(dialog()).not.toBeNull();
  });

  it("dispatches crypto-checkout:paid on the trigger for a message from the checkout iframe", () => {
    const trigger = addTrigger(`${SCRIPT_ORIGIN}/pay/link/abc123`);
    const paid = vi.fn();
    const closed = vi.fn();
    document.addEventListener("crypto-checkout:paid", paid); // bubbles from the trigger
    trigger.addEventListener("crypto-checkout:closed", closed);
    trigger.click();

    postFromCheckout({ type: "crypto-checkout:paid", invoiceId: "3f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9" });
    postFromCheckout({ type: "crypto-checkout:paid", invoiceId: "3f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9" }); // repeated

    expect(paid).toHaveBeenCalledTimes(1);
    const event = paid.mock.calls[0]![0] as CustomEvent;
    expect(event.target).toBe(trigger);
    expect(event.bubbles).toBe(true);
    expect(event.detail).toEqual({ invoiceId: "3f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9" });

    postFromCheckout({ type: "crypto-checkout:close" });
    expect(dialog()).toBeNull();
    expect((closed.mock.calls[0]![0] as CustomEvent).detail).toEqual({
      invoiceId: "3f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
      paid: true,
    });
    document.removeEventListener("crypto-checkout:paid", paid);
  });

  it("ignores messages from another origin, another window, or with a malformed invoice ID", () => {
    const trigger = addTrigger(`${SCRIPT_ORIGIN}/pay/link/abc123`);
    const paid = vi.fn();
    trigger.addEventListener("crypto-checkout:paid", paid);
    trigger.click();

    postFromCheckout({ type: "crypto-checkout:paid", invoiceId: "inv_1" }, "https://evil.example");
    postFromCheckout({ type: "crypto-checkout:paid", invoiceId: "inv_1" }, SCRIPT_ORIGIN, window);
    postFromCheckout({ type: "crypto-checkout:paid", invoiceId: "<img src=x>" });
    postFromCheckout({ type: "crypto-checkout:paid" });
    postFromCheckout("crypto-checkout:paid");
    postFromCheckout({ type: "crypto-checkout:close" }, "https://evil.example");

    expect(paid).not.toHaveBeenCalled();
    expect(dialog()).not.toBeNull();
  });

  it("exposes CryptoCheckout.open and .close, with the same origin rule", () => {
    const api = (window as unknown as { CryptoCheckout: { open: (url: string) => boolean; close: () => void } })
      .CryptoCheckout;
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(api.open("https://evil.example/pay/link/x")).toBe(false);
    expect(api.open(`${SCRIPT_ORIGIN}/pay/link/x`)).toBe(true);
    expect(dialog()).not.toBeNull();
    api.close();
    expect(dialog()).toBeNull();
  });

  it("does not install itself twice", () => {
    loadEmbedScript();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    addTrigger("https://evil.example/pay/link/abc123").click();
    expect(warn).toHaveBeenCalledTimes(1); // one click listener, not two
  });
});
