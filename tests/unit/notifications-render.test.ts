import { describe, expect, it } from "vitest";
import { ALL_VARIABLE_NAMES, NOTIFICATION_EVENTS, notificationEventOf, recipientsFor, TEMPLATE_KEYS, variablesFor } from "@/lib/notifications/catalog";
import { defaultTemplate } from "@/lib/notifications/defaults";
import { placeholdersIn, renderHtml, renderMessage, renderSubject, renderText, validateTemplate } from "@/lib/notifications/render";
import { nextAttemptAfter } from "@/lib/notifications/send";
import { cryptoLabel, fiatLabel, sampleValues, timeLabel } from "@/lib/notifications/values";

const MERCHANT = { name: "Acme & Co", email: "billing@acme.test" };

describe("notification defaults", () => {
  it("has a template for every event and recipient that makes sense, 16 in all", () => {
    expect(TEMPLATE_KEYS).toHaveLength(16);
    for (const event of NOTIFICATION_EVENTS) {
      expect(defaultTemplate(event, "merchant"), event).not.toBeNull();
      const customer = defaultTemplate(event, "customer");
      if (recipientsFor(event).includes("customer")) expect(customer, event).not.toBeNull();
      else expect(customer, event).toBeNull();
    }
    expect(recipientsFor("merchant_suspended")).toEqual(["merchant"]);
    expect(recipientsFor("webhook_endpoint_failed")).toEqual(["merchant"]);
  });

  it.each(TEMPLATE_KEYS.map((k) => [k.eventType, k.recipient] as const))("%s → %s default is valid and renders every placeholder", (event, recipient) => {
    const d = defaultTemplate(event, recipient)!;
    expect(validateTemplate(event, { subject: d.subject, body: d.body })).toEqual({});
    const message = renderMessage({ subject: d.subject, body: d.body }, sampleValues(event, MERCHANT, "https://pay.example"));
    expect(message.subject.length).toBeGreaterThan(5);
    expect(message.text).not.toContain("{{");
    expect(message.html).not.toContain("{{");
  });
});

describe("notificationEventOf", () => {
  it("maps the nine notified outbox events and ignores the rest", () => {
    const mapped = ["InvoiceCreated", "PaymentDetected", "PaymentConfirmed", "PaymentFailed", "InvoicePaid", "InvoiceExpired", "InvoiceCancelled", "MerchantSuspended", "WebhookEndpointFailed"].map(notificationEventOf);
    expect(mapped).toEqual([...NOTIFICATION_EVENTS]);
    for (const other of ["PaymentConfirming", "PaymentOrphaned", "MerchantCreated", "AccountReserved", "toString", "constructor", ""]) expect(notificationEventOf(other), other).toBeNull();
  });
});

describe("validateTemplate", () => {
  it("accepts known variables, with or without spaces", () => {
    expect(validateTemplate("invoice_paid", { subject: "Paid {{ invoice.total }}", body: "{{invoice.url}} {{invoice.paidAt}}" })).toEqual({});
  });

  it("refuses an unknown variable, naming the field and the variable", () => {
    expect(validateTemplate("invoice_paid", { subject: "Paid {{invoice.totl}}", body: "ok" })).toEqual({
      subject: "The subject uses the unknown variable {{invoice.totl}}. Pick one from the list of variables.",
    });
    const errors = validateTemplate("invoice_paid", { subject: "Paid", body: "See {{endpoint.url}}" });
    expect(errors.body).toContain("body");
    expect(errors.body).toContain("{{endpoint.url}}");
    expect(errors.subject).toBeUndefined();
  });

  it("refuses a variable of another event (payment data in a cancellation)", () => {
    expect(validateTemplate("invoice_cancelled", { subject: "x", body: "{{payment.txHash}}" }).body).toContain("{{payment.txHash}}");
    expect(validateTemplate("merchant_suspended", { subject: "{{invoice.id}}", body: "x" }).subject).toContain("{{invoice.id}}");
  });

  it("refuses malformed placeholders, empty and overlong fields, and multi-line subjects", () => {
    expect(validateTemplate("invoice_paid", { subject: "x", body: "{{ not a name }}" }).body).toMatch(/not a variable name/);
    expect(validateTemplate("invoice_paid", { subject: "x", body: "Hello {{invoice.id" }).body).toMatch(/without its closing/);
    expect(validateTemplate("invoice_paid", { subject: "  ", body: "x" }).subject).toBe("Enter a subject.");
    expect(validateTemplate("invoice_paid", { subject: "x", body: " \n " }).body).toBe("Enter the message body.");
    expect(validateTemplate("invoice_paid", { subject: "a".repeat(256), body: "x" }).subject).toMatch(/255/);
    expect(validateTemplate("invoice_paid", { subject: "x", body: "a".repeat(20_001) }).body).toMatch(/20,000/);
    expect(validateTemplate("invoice_paid", { subject: "a\nBcc: x@y.z", body: "x" }).subject).toMatch(/one line/);
    expect(validateTemplate("invoice_paid", { subject: "x", body: "a\u0000b" }).body).toMatch(/control characters/);
  });

  it("lists each variable once, in order of use", () => {
    expect(placeholdersIn("{{a.b}} {{ c }} {{a.b}}")).toEqual(["a.b", "c"]);
  });
});

describe("rendering", () => {
  const values = { "customer.email": '<script>alert("x")</script>@evil.test', "invoice.url": "https://pay.example/pay/1?a=1&b=2", "invoice.total": "$49.00" };

  it("escapes values and template text in the HTML body, keeps them as they are in the text body", () => {
    const body = "Customer: {{customer.email}}\nTotal: {{invoice.total}} <b>bold?</b>\n\nPay: {{invoice.url}}.";
    const html = renderHtml(body, values);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;@evil.test");
    expect(html).toContain("&lt;b&gt;bold?&lt;/b&gt;");
    expect(html).toContain('<a href="https://pay.example/pay/1?a=1&amp;b=2" style="color: #4f46e5">https://pay.example/pay/1?a=1&amp;b=2</a>.');
    expect(html).toContain("<br>");
    expect(html.match(/<p /g)).toHaveLength(2);
    const text = renderText(body, values);
    expect(text).toBe('Customer: <script>alert("x")</script>@evil.test\nTotal: $49.00 <b>bold?</b>\n\nPay: https://pay.example/pay/1?a=1&b=2.');
  });

  it("makes the subject one line and never longer than 255 characters", () => {
    expect(renderSubject("Hi {{customer.email}}", { "customer.email": "a\r\nBcc: victim@example.com" })).toBe("Hi a Bcc: victim@example.com");
    expect(renderSubject("{{invoice.title}}", { "invoice.title": "x".repeat(400) })).toHaveLength(255);
  });

  it("reads a variable without a value as empty", () => {
    expect(renderText("Ref: {{invoice.reference}}!", {})).toBe("Ref: !");
  });

  it("formats money exactly from minor units, with the currency", () => {
    expect(fiatLabel(4_900n, "USD")).toBe("$49.00");
    expect(fiatLabel(123_456_789n, "EUR")).toBe("€1,234,567.89");
    expect(cryptoLabel(50_515n, "BTC")).toBe("0.00050515 BTC");
    expect(cryptoLabel(1_500_000_000_000_000_001n, "ETH")).toBe("1.500000000000000001 ETH");
    expect(cryptoLabel(49_000_000n, "USDT")).toBe("49 USDT");
    expect(timeLabel(new Date("2026-01-15T14:30:00Z"))).toBe("15 Jan 2026, 14:30 UTC");
  });

  it("gives every documented variable a sample value", () => {
    for (const event of NOTIFICATION_EVENTS) {
      const sample = sampleValues(event, MERCHANT, "https://pay.example");
      expect(Object.keys(sample).sort()).toEqual(variablesFor(event).map((v) => v.name).sort());
      for (const [name, value] of Object.entries(sample)) expect(value, `${event} ${name}`).not.toBe("");
    }
    expect(ALL_VARIABLE_NAMES).toContain("invoice.url");
    expect(sampleValues("invoice_paid", MERCHANT, "https://pay.example")["invoice.url"]).toMatch(/^https:\/\/pay\.example\/pay\/[0-9a-f-]{36}$/);
  });
});

describe("retry backoff", () => {
  it("waits 1, 5, 15 and 60 minutes after failed attempts 1 to 4", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect([1, 2, 3, 4].map((n) => (nextAttemptAfter(now, n).getTime() - now.getTime()) / 60_000)).toEqual([1, 5, 15, 60]);
  });
});
