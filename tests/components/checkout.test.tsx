import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { SWRConfig } from "swr";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CheckoutView } from "@/components/checkout/checkout-view";
import { CopyButton } from "@/components/checkout/copy-button";
import { Countdown, formatRemaining } from "@/components/checkout/countdown";
import { QrCode } from "@/components/checkout/qr-code";
import type { PublicInvoiceView } from "@/components/checkout/types";

const BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
const SERVER_NOW = "2025-06-01T12:00:00.000Z";
const STATUS_URL = "/api/pay/inv_123/status";

function view(overrides: Partial<PublicInvoiceView> = {}): PublicInvoiceView {
  return {
    id: "inv_123",
    status: "pending",
    merchantName: "Acme Store",
    title: "Order #1042",
    fiat: { currency: "USD", total: "49.00" },
    crypto: {
      asset: "BTC",
      network: "bitcoin",
      networkLabel: "Bitcoin",
      decimals: 8,
      amount: "0.00051234",
      received: "0",
      remaining: "0.00051234",
    },
    address: BTC_ADDRESS,
    paymentUri: `bitcoin:${BTC_ADDRESS}?amount=0.00051234`,
    testnet: false,
    testWallet: false,
    expiresAt: "2025-06-01T12:15:00.000Z",
    serverNow: SERVER_NOW,
    confirmations: null,
    paidAt: null,
    redirectUrl: null,
    exception: "none",
    ...overrides,
  };
}

const partialView = () =>
  view({ status: "partial", crypto: { ...view().crypto, received: "0.0003", remaining: "0.00021234" } });
const confirmingView = (current = 2, required = 6) =>
  view({
    status: "confirming",
    crypto: { ...view().crypto, received: "0.00051234", remaining: "0" },
    confirmations: { current, required },
  });
const paidView = (overrides: Partial<PublicInvoiceView> = {}) =>
  view({
    status: "paid",
    crypto: { ...view().crypto, received: "0.00051234", remaining: "0" },
    paidAt: "2025-06-01T12:07:30.000Z",
    ...overrides,
  });

function jsonResponse(body: unknown, status = 200): Response {
  return { ok: status >= 200 && status < 300, status, json: async () => body } as Response;
}

const fetchMock = vi.fn<typeof fetch>();

function renderView(initial: PublicInvoiceView, props: { pollIntervalMs?: number; initialQrSvg?: string } = {}) {
  return render(
    <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
      <CheckoutView initial={initial} statusUrl={STATUS_URL} {...props} />
    </SWRConfig>,
  );
}

/** jsdom's window.location.assign cannot be spied on; vitest's window is globalThis, so stub location. */
function stubLocationAssign() {
  const assign = vi.fn<(url: string | URL) => void>();
  vi.stubGlobal("location", { href: "http://localhost:3000/pay/inv_123", origin: "http://localhost:3000", assign });
  return assign;
}

/** Advances fake time and lets SWR's fetch promises and React updates settle. */
async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

/** Flushes pending promises (e.g. QR generation) without moving the clock. */
async function flush() {
  await advance(0);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(SERVER_NOW));
  fetchMock.mockReset();
  fetchMock.mockRejectedValue(new Error("unexpected fetch"));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("CheckoutView — statuses", () => {
  it("pending: instructions, amount, QR, address, copy buttons and countdown", async () => {
    renderView(view());
    await flush();

    expect(screen.getByText("Acme Store")).toBeTruthy();
    expect(screen.getByRole("heading", { level: 1, name: "Order #1042" })).toBeTruthy();
    expect(screen.getByRole("article", { name: "Order #1042" })).toBeTruthy();
    expect(screen.getByText("$49.00")).toBeTruthy();
    expect(screen.getByText("Awaiting payment")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Send exactly 0.00051234 BTC on Bitcoin" })).toBeTruthy();
    expect(screen.getByTestId("pay-amount").textContent).toBe("0.00051234 BTC");
    expect(screen.getByTestId("pay-address").textContent).toBe(BTC_ADDRESS);
    expect(screen.getByTestId("pay-address").className).toContain("break-all");
    expect(screen.getByTestId("pay-address").className).toContain("font-mono");

    const qr = screen.getByRole("img", { name: "QR code for the payment" });
    expect(qr.getAttribute("data-value")).toBe(`bitcoin:${BTC_ADDRESS}?amount=0.00051234`);
    expect(qr.querySelector("svg")).not.toBeNull();

    expect(screen.getByRole("button", { name: "Copy address" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy amount" })).toBeTruthy();
    expect(screen.getByRole("timer").textContent).toBe("15:00");
    expect(screen.queryByText("Testnet")).toBeNull();
    expect(screen.queryByText("Reconnecting…")).toBeNull();
  });

  it("uses a server-rendered QR svg for the initial URI", () => {
    renderView(view(), { initialQrSvg: '<svg data-prerendered="yes" viewBox="0 0 1 1"></svg>' });
    const qr = screen.getByRole("img", { name: "QR code for the payment" });
    expect(qr.querySelector('svg[data-prerendered="yes"]')).not.toBeNull();
  });

  it("shows a Testnet badge and warning for testnet invoices", () => {
    renderView(view({ testnet: true }));
    expect(screen.getByText("Testnet")).toBeTruthy();
    expect(screen.getByText("Testnet invoice: send testnet coins only, never real funds.")).toBeTruthy();
  });

  it("partial: shows what was received and the remaining amount, with a QR for the remainder", async () => {
    renderView(partialView());
    await flush();

    expect(screen.getByText("Partially paid")).toBeTruthy();
    expect(screen.getByText("Received 0.0003 of 0.00051234 BTC")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Send the remaining 0.00021234 BTC" })).toBeTruthy();
    expect(screen.getByText("Remaining amount")).toBeTruthy();
    expect(screen.getByTestId("pay-amount").textContent).toBe("0.00021234 BTC");
    expect(screen.getByTestId("pay-address").textContent).toBe(BTC_ADDRESS);
    expect(screen.getByRole("button", { name: "Copy remaining amount" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy address" })).toBeTruthy();
    // The QR asks for the remainder, never the full amount again.
    const qr = screen.getByRole("img", { name: "QR code for the payment" });
    expect(qr.getAttribute("data-value")).toBe(`bitcoin:${BTC_ADDRESS}?amount=0.00021234`);
    expect(screen.getByRole("timer")).toBeTruthy();
  });

  it("partial with an unrecognised URI shows no QR rather than one for the full amount", () => {
    renderView(view({ ...partialView(), paymentUri: "custom:xyz" }));
    expect(screen.queryByRole("img", { name: "QR code for the payment" })).toBeNull();
    expect(screen.getByText("Enter the address and the remaining amount in your wallet.")).toBeTruthy();
    expect(screen.getByTestId("pay-address").textContent).toBe(BTC_ADDRESS);
  });

  it("confirming: shows n of N confirmations and a progress bar, and no address", () => {
    renderView(confirmingView(2, 6));
    expect(screen.getByText("Confirming")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Payment received — waiting for confirmations: 2 of 6" })).toBeTruthy();
    expect(screen.getByText(/2 of 6/)).toBeTruthy();
    const bar = screen.getByRole("progressbar", { name: "Network confirmations" });
    expect(bar.getAttribute("aria-valuenow")).toBe("2");
    expect(bar.getAttribute("aria-valuemax")).toBe("6");
    expect(bar.getAttribute("aria-valuemin")).toBe("0");
    expect(screen.queryByTestId("pay-address")).toBeNull();
    expect(screen.queryByRole("img", { name: "QR code for the payment" })).toBeNull();
    expect(screen.queryByRole("timer")).toBeNull();
  });

  it("confirming without counts shows no progress bar", () => {
    renderView(view({ ...confirmingView(), confirmations: null }));
    expect(screen.getByRole("heading", { name: "Payment received — waiting for confirmations" })).toBeTruthy();
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("paid: success state with the paid time, no address and no redirect without a URL", async () => {
    const assign = stubLocationAssign();
    renderView(paidView());
    expect(screen.getByRole("heading", { name: "Payment complete" })).toBeTruthy();
    expect(screen.getAllByText("Paid").some((el) => el.className.includes("rounded-full"))).toBe(true); // the badge
    const time = document.querySelector("time");
    expect(time?.getAttribute("datetime")).toBe("2025-06-01T12:07:30.000Z");
    expect(time?.parentElement?.textContent).toMatch(/^Paid \w{3} \d{1,2}, 2025, \d{1,2}:\d{2}/);
    expect(screen.queryByTestId("pay-address")).toBeNull();
    expect(screen.queryByRole("img", { name: "QR code for the payment" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Return to merchant" })).toBeNull();
    expect(screen.queryByTestId("exception-note")).toBeNull();
    await advance(10_000);
    expect(assign).not.toHaveBeenCalled();
  });

  it.each([
    ["overpaid", "You sent more than the invoice amount. Contact Acme Store about the difference."],
    ["paid_late", "Your payment arrived after the invoice expired; Acme Store accepted it."],
  ] as const)("paid with exception %s shows a note", (exception, note) => {
    renderView(paidView({ exception }));
    expect(screen.getByTestId("exception-note").textContent).toBe(note);
  });

  it("expired: says so and never shows the address, QR, copy buttons or timer", () => {
    renderView(view({ status: "expired" }));
    expect(screen.getByRole("heading", { name: "This invoice expired" })).toBeTruthy();
    expect(screen.queryByText(BTC_ADDRESS)).toBeNull();
    expect(document.body.textContent).not.toContain(BTC_ADDRESS);
    expect(screen.queryByRole("img", { name: "QR code for the payment" })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Copy/ })).toBeNull();
    expect(screen.queryByRole("timer")).toBeNull();
    expect(screen.queryByText(/Send exactly/)).toBeNull();
  });

  it("expired after a partial payment mentions the refund", () => {
    renderView(view({ status: "expired", exception: "underpaid", crypto: { ...partialView().crypto } }));
    expect(screen.getByText(/We received 0\.0003 BTC before it expired\./)).toBeTruthy();
    expect(document.body.textContent).not.toContain(BTC_ADDRESS);
  });

  it("cancelled and refunded show their messages without an address", () => {
    const { unmount } = renderView(view({ status: "cancelled" }));
    expect(screen.getByRole("heading", { name: "This invoice was cancelled" })).toBeTruthy();
    expect(document.body.textContent).not.toContain(BTC_ADDRESS);
    unmount();

    renderView(paidView({ status: "refunded" }));
    expect(screen.getByRole("heading", { name: "This payment was refunded" })).toBeTruthy();
    expect(document.body.textContent).not.toContain(BTC_ADDRESS);
  });
});

describe("CheckoutView — polling", () => {
  it("updates pending → confirming → paid, announces each change, then stops polling", async () => {
    const responses = [view(), confirmingView(1, 6), confirmingView(4, 6), paidView()];
    fetchMock.mockImplementation(async () => jsonResponse(responses.shift() ?? paidView()));
    renderView(view());

    const announcer = screen.getByTestId("status-announcer");
    expect(announcer.getAttribute("aria-live")).toBe("polite");
    expect(announcer.className).toContain("sr-only");
    expect(announcer.textContent).toBe("");
    expect(fetchMock).not.toHaveBeenCalled();

    await advance(3000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]![0]).toBe(STATUS_URL);
    expect(screen.getByRole("heading", { name: "Send exactly 0.00051234 BTC on Bitcoin" })).toBeTruthy();
    expect(announcer.textContent).toBe("");

    await advance(3000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(screen.getByText(/1 of 6/)).toBeTruthy();
    expect(screen.queryByTestId("pay-address")).toBeNull();
    expect(announcer.textContent).toBe("Payment received. Waiting for network confirmations.");

    await advance(3000);
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("4");

    await advance(3000);
    expect(fetchMock).toHaveBeenCalledTimes(4);
    expect(screen.getByRole("heading", { name: "Payment complete" })).toBeTruthy();
    expect(announcer.textContent).toBe("Payment complete.");

    await advance(60_000);
    expect(fetchMock).toHaveBeenCalledTimes(4);
  });

  it("does not poll when the initial status is already terminal", async () => {
    fetchMock.mockImplementation(async () => jsonResponse(paidView()));
    renderView(paidView());
    await advance(30_000);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("respects a custom poll interval", async () => {
    fetchMock.mockImplementation(async () => jsonResponse(view()));
    renderView(view(), { pollIntervalMs: 10_000 });
    await advance(9_000);
    expect(fetchMock).not.toHaveBeenCalled();
    await advance(1_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("stops polling when the invoice expires", async () => {
    fetchMock.mockImplementation(async () => jsonResponse(view({ status: "expired" })));
    renderView(view());
    await advance(3000);
    expect(screen.getByRole("heading", { name: "This invoice expired" })).toBeTruthy();
    expect(screen.queryByTestId("pay-address")).toBeNull();
    expect(screen.getByTestId("status-announcer").textContent).toBe("This invoice has expired.");
    await advance(60_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("shows 'Reconnecting…' on a network error, keeps the last data, and recovers", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    fetchMock.mockResolvedValue(jsonResponse(confirmingView(3, 6)));
    renderView(view());

    await advance(3000);
    const note = screen.getByText("Reconnecting…");
    expect(note.getAttribute("role")).toBe("status");
    expect(screen.getByTestId("pay-address").textContent).toBe(BTC_ADDRESS);
    expect(screen.getByRole("heading", { name: "Send exactly 0.00051234 BTC on Bitcoin" })).toBeTruthy();

    // Retried after one poll interval (capped backoff), not SWR's default multi-second backoff.
    await advance(3000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(screen.queryByText("Reconnecting…")).toBeNull();
    expect(screen.getByText(/3 of 6/)).toBeTruthy();
  });

  it("treats an HTTP error or a malformed body as a reconnect, not as data", async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ error: "boom" }, 500));
    fetchMock.mockResolvedValueOnce(jsonResponse({ nonsense: true }));
    renderView(view());
    await advance(3000);
    expect(screen.getByText("Reconnecting…")).toBeTruthy();
    await advance(3000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(screen.getByText("Reconnecting…")).toBeTruthy();
    expect(screen.getByTestId("pay-address").textContent).toBe(BTC_ADDRESS);
  });

  it("when the countdown reaches zero it hides the address and revalidates at once", async () => {
    const soon = view({ expiresAt: "2025-06-01T12:00:02.000Z" });
    fetchMock.mockImplementation(async () => jsonResponse(view({ ...soon, status: "expired" })));
    renderView(soon, { pollIntervalMs: 60_000 });
    expect(screen.getByRole("timer").textContent).toBe("00:02");

    await advance(2000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("pay-address")).toBeNull();
    expect(screen.getByRole("heading", { name: "This invoice expired" })).toBeTruthy();
  });

  it("hides the address while the server still says pending after local expiry", async () => {
    const soon = view({ expiresAt: "2025-06-01T12:00:01.000Z" });
    fetchMock.mockImplementation(async () => jsonResponse(soon));
    renderView(soon, { pollIntervalMs: 60_000 });
    await advance(1000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("heading", { name: "Time is up" })).toBeTruthy();
    expect(screen.queryByTestId("pay-address")).toBeNull();
    expect(screen.queryByRole("img", { name: "QR code for the payment" })).toBeNull();
  });
});

describe("CheckoutView — redirect after payment", () => {
  it("links back to the merchant and redirects after 5 s with a visible countdown", async () => {
    const assign = stubLocationAssign();
    const url = "https://shop.example/orders/1042?paid=1";
    renderView(paidView({ redirectUrl: url }));

    expect(screen.getByRole("link", { name: "Return to merchant" }).getAttribute("href")).toBe(url);
    expect(screen.getByTestId("redirect-countdown").textContent).toBe("Redirecting in 5 s…");
    await advance(1000);
    expect(screen.getByTestId("redirect-countdown").textContent).toBe("Redirecting in 4 s…");
    await advance(3000);
    expect(assign).not.toHaveBeenCalled();
    await advance(1000);
    expect(assign).toHaveBeenCalledTimes(1);
    expect(assign).toHaveBeenCalledWith(url);
  });

  it("redirects after polling reaches paid", async () => {
    const assign = stubLocationAssign();
    const url = "https://shop.example/thanks";
    fetchMock.mockImplementation(async () => jsonResponse(paidView({ redirectUrl: url })));
    renderView(view({ redirectUrl: url }));
    await advance(3000);
    expect(screen.getByRole("heading", { name: "Payment complete" })).toBeTruthy();
    await advance(5000);
    expect(assign).toHaveBeenCalledWith(url);
  });

  it("'Stay on this page' cancels the automatic redirect", async () => {
    const assign = stubLocationAssign();
    renderView(paidView({ redirectUrl: "https://shop.example/thanks" }));
    fireEvent.click(screen.getByRole("button", { name: "Stay on this page" }));
    await advance(10_000);
    expect(assign).not.toHaveBeenCalled();
    expect(screen.queryByTestId("redirect-countdown")).toBeNull();
    expect(screen.getByRole("link", { name: "Return to merchant" })).toBeTruthy();
  });

  it("ignores a non-http(s) redirect URL", async () => {
    const assign = stubLocationAssign();
    renderView(paidView({ redirectUrl: "javascript:alert(1)" }));
    expect(screen.queryByRole("link", { name: "Return to merchant" })).toBeNull();
    await advance(10_000);
    expect(assign).not.toHaveBeenCalled();
  });
});

describe("CopyButton", () => {
  it("writes the value with navigator.clipboard and shows 'Copied' for 2 s", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    try {
      render(<CopyButton value={BTC_ADDRESS} label="address" />);
      const button = screen.getByRole("button", { name: "Copy address" });
      expect(button.tagName).toBe("BUTTON");
      expect(button.getAttribute("type")).toBe("button");
      expect(within(button).getByText("Copy")).toBeTruthy();

      await act(async () => {
        fireEvent.click(button);
      });
      expect(writeText).toHaveBeenCalledWith(BTC_ADDRESS);
      expect(within(button).getByText("Copied")).toBeTruthy();
      expect(screen.getByRole("status").textContent).toBe("Address copied to clipboard");
      // Still named for what it copies.
      expect(screen.getByRole("button", { name: "Copied address" })).toBe(button);

      await advance(1999);
      expect(within(button).getByText("Copied")).toBeTruthy();
      await advance(1);
      expect(within(button).getByText("Copy")).toBeTruthy();
    } finally {
      Reflect.deleteProperty(navigator, "clipboard");
    }
  });

  it("copies the amount from the checkout view", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    try {
      renderView(view());
      await act(async () => {
        fireEvent.click(screen.getByRole("button", { name: "Copy amount" }));
      });
      expect(writeText).toHaveBeenCalledWith("0.00051234");
      expect(screen.getByText("Copied")).toBeTruthy();
    } finally {
      Reflect.deleteProperty(navigator, "clipboard");
    }
  });

  it("falls back to a hidden textarea and execCommand('copy') without the Clipboard API", async () => {
    let copied: string | null = null;
    const execCommand = vi.fn((command: string) => {
      const el = document.activeElement;
      copied = el instanceof HTMLTextAreaElement ? el.value.slice(el.selectionStart, el.selectionEnd) : null;
      return command === "copy";
    });
    Object.defineProperty(document, "execCommand", { value: execCommand, configurable: true });
    try {
      render(<CopyButton value="0.00051234" label="amount" />);
      const button = screen.getByRole("button", { name: "Copy amount" });
      button.focus();
      await act(async () => {
        fireEvent.click(button);
      });
      expect(execCommand).toHaveBeenCalledWith("copy");
      expect(copied).toBe("0.00051234");
      expect(document.querySelector("textarea")).toBeNull();
      expect(document.activeElement).toBe(button);
      expect(screen.getByText("Copied")).toBeTruthy();
    } finally {
      Reflect.deleteProperty(document, "execCommand");
    }
  });

  it("falls back when clipboard.writeText rejects, and reports a failure if nothing works", async () => {
    const writeText = vi.fn(async () => {
      throw new Error("NotAllowedError");
    });
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    Object.defineProperty(document, "execCommand", { value: vi.fn(() => false), configurable: true });
    try {
      render(<CopyButton value="x" label="address" />);
      await act(async () => {
        fireEvent.click(screen.getByRole("button", { name: "Copy address" }));
      });
      expect(writeText).toHaveBeenCalled();
      expect(screen.getByText("Copy failed")).toBeTruthy();
      expect(screen.queryByText("Copied")).toBeNull();
    } finally {
      Reflect.deleteProperty(navigator, "clipboard");
      Reflect.deleteProperty(document, "execCommand");
    }
  });
});

describe("Countdown", () => {
  it.each([
    [0, "00:00"],
    [1, "00:01"],
    [999, "00:01"],
    [59_000, "00:59"],
    [61_000, "01:01"],
    [15 * 60_000, "15:00"],
    [3_599_000, "59:59"],
    [3_600_000, "1:00:00"],
    [3_600_001, "1:00:01"],
    [3_723_000, "1:02:03"],
    [26 * 3_600_000, "26:00:00"],
    [-5000, "00:00"],
  ])("formatRemaining(%i) = %s", (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });

  it("counts down mm:ss, turns amber under 5 min and red under 1 min, then shows Expired and calls onExpire once", async () => {
    const onExpire = vi.fn();
    render(<Countdown expiresAt="2025-06-01T12:05:01.000Z" serverNow={SERVER_NOW} onExpire={onExpire} />);
    const timer = screen.getByRole("timer");
    expect(timer.textContent).toBe("05:01");
    expect(timer.getAttribute("data-tone")).toBe("normal");

    await advance(1000);
    expect(timer.textContent).toBe("05:00");
    expect(timer.getAttribute("data-tone")).toBe("normal");

    await advance(1000);
    expect(timer.textContent).toBe("04:59");
    expect(timer.getAttribute("data-tone")).toBe("amber");
    expect(timer.className).toContain("text-amber-600");

    await advance(4 * 60_000);
    expect(timer.textContent).toBe("00:59");
    expect(timer.getAttribute("data-tone")).toBe("red");
    expect(timer.className).toContain("text-rose-600");
    expect(onExpire).not.toHaveBeenCalled();

    await advance(59_000);
    expect(timer.textContent).toBe("Expired");
    expect(timer.getAttribute("data-tone")).toBe("expired");
    expect(onExpire).toHaveBeenCalledTimes(1);

    await advance(10_000);
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it("shows h:mm:ss over an hour", () => {
    render(<Countdown expiresAt="2025-06-01T14:05:09.000Z" serverNow={SERVER_NOW} />);
    expect(screen.getByRole("timer").textContent).toBe("2:05:09");
  });

  it("measures on the server clock: a client clock 10 minutes fast does not shorten it", async () => {
    vi.setSystemTime(new Date("2025-06-01T12:10:00.000Z"));
    render(<Countdown expiresAt="2025-06-01T12:15:00.000Z" serverNow={SERVER_NOW} />);
    expect(screen.getByRole("timer").textContent).toBe("15:00");
    await advance(1000);
    expect(screen.getByRole("timer").textContent).toBe("14:59");
    await advance(60_000);
    expect(screen.getByRole("timer").textContent).toBe("13:59");
  });

  it("is Expired right away when serverNow is past expiresAt", async () => {
    const onExpire = vi.fn();
    render(<Countdown expiresAt="2025-06-01T11:59:00.000Z" serverNow={SERVER_NOW} onExpire={onExpire} />);
    expect(screen.getByRole("timer").textContent).toBe("Expired");
    await flush();
    expect(onExpire).toHaveBeenCalledTimes(1);
  });
});

describe("QrCode", () => {
  it("renders an SVG from the qrcode package on a white tile", async () => {
    render(<QrCode value="bitcoin:bc1qexample?amount=0.1" size={200} />);
    const img = screen.getByRole("img", { name: "QR code for the payment" });
    expect(img.getAttribute("aria-busy")).toBe("true");
    await flush();
    const svg = img.querySelector("svg");
    expect(svg).not.toBeNull();
    expect(svg!.getAttribute("viewBox")).toMatch(/^0 0 \d+ \d+$/);
    expect(img.innerHTML).toContain("#000000");
    expect(img.className).toContain("bg-white");
    expect(img.getAttribute("aria-busy")).toBeNull();
    expect((img as HTMLElement).style.width).toBe("200px");
  });

  it("uses a pre-rendered svg without generating one", () => {
    render(<QrCode value="x" svg='<svg id="pre"></svg>' />);
    expect(screen.getByRole("img", { name: "QR code for the payment" }).querySelector("#pre")).not.toBeNull();
  });
});

describe("embedded checkout", () => {
  it("posts crypto-checkout:paid to the parent window once the invoice is paid", async () => {
    const postMessage = vi.fn();
    const parent = { postMessage } as unknown as Window;
    const original = Object.getOwnPropertyDescriptor(window, "parent");
    Object.defineProperty(window, "parent", { value: parent, configurable: true });
    try {
      const paid = paidView({ redirectUrl: null });
      renderView(paid);
      expect(postMessage).toHaveBeenCalledWith({ type: "crypto-checkout:paid", invoiceId: paid.id }, "*");
    } finally {
      if (original) Object.defineProperty(window, "parent", original);
    }
  });
});

describe("CheckoutView — test wallet", () => {
  it("is offered only when the server says so, pays through the test-wallet route and refreshes at once", async () => {
    renderView(view());
    expect(screen.queryByRole("button", { name: "Pay with test wallet" })).toBeNull();
    cleanup();

    const hash = `0x${"ab".repeat(32)}`;
    fetchMock.mockImplementation(async (input) =>
      String(input).endsWith("/test-wallet") ? jsonResponse({ txHash: hash, amount: "1" }, 202) : jsonResponse(confirmingView(1, 6)),
    );
    renderView(view({ testnet: true, testWallet: true }));
    fireEvent.click(screen.getByRole("button", { name: "Pay with test wallet" }));
    await flush();
    expect(fetchMock.mock.calls[0]).toEqual(["/api/pay/inv_123/test-wallet", { method: "POST" }]);
    await flush();
    expect(fetchMock.mock.calls[1]![0]).toBe(STATUS_URL);
    expect(screen.getByText(/1 of 6/)).toBeTruthy();
  });

  it("shows the server's refusal and keeps the page payable", async () => {
    fetchMock.mockImplementation(async () => jsonResponse({ error: { code: "invoice.not_payable", message: "The invoice is expired" } }, 409));
    renderView(view({ testnet: true, testWallet: true }));
    fireEvent.click(screen.getByRole("button", { name: "Pay with test wallet" }));
    await flush();
    await flush();
    expect(screen.getByText("The invoice is expired")).toBeTruthy();
    expect(screen.getByTestId("pay-address")).toBeTruthy();
  });
});
