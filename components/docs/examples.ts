/**
 * Example requests and responses for the API reference, keyed by operationId. They are written by
 * hand to read like real traffic; tests/components/api-docs.test.tsx checks that each one matches
 * the operation it belongs to.
 */

export type ExampleRequest = {
  /** JSON request body. */
  body?: unknown;
  /** Values substituted into `{name}` path segments. */
  pathParams?: Record<string, string>;
  query?: Record<string, string>;
  /** Idempotency-Key value for POSTs that accept one. */
  idempotencyKey?: string;
};

const INVOICE_ID = "936766f3-b45c-4cc1-9f29-b91f830195de";
const CUSTOMER_ID = "cdc3da4f-8e4b-4cb8-bde2-c9383944838d";

export const CREATE_INVOICE_EXAMPLE = {
  title: "Pro plan",
  currency: "USD",
  items: [{ description: "Pro plan, 1 month", quantity: 1, unit_price: "49.00" }],
  crypto_currency: "USDT",
  network: "tron",
  customer_email: "buyer@example.com",
  redirect_url: "https://shop.example.com/thanks",
};

export const EXAMPLE_REQUESTS: Record<string, ExampleRequest> = {
  createInvoice: { body: CREATE_INVOICE_EXAMPLE, idempotencyKey: "order-1001" },
  listInvoices: { query: { limit: "10", status: "pending,partial" } },
  getInvoice: { pathParams: { id: INVOICE_ID } },
  cancelInvoice: {
    pathParams: { id: INVOICE_ID },
    body: { reason: "Customer changed their mind" },
    idempotencyKey: "cancel-order-1001",
  },
  createCustomer: { body: { email: "buyer@example.com", metadata: { crm_id: "C-5521" } }, idempotencyKey: "customer-5521" },
  listCustomers: { query: { limit: "20", status: "active" } },
  getCustomer: { pathParams: { id: CUSTOMER_ID } },
  blockCustomer: { pathParams: { id: CUSTOMER_ID }, idempotencyKey: "block-C-5521" },
  unblockCustomer: { pathParams: { id: CUSTOMER_ID }, idempotencyKey: "unblock-C-5521" },
};

/** What POST /invoices answers (201) for the createInvoice example body, in test mode. */
export function exampleInvoice(origin: string) {
  return {
    id: INVOICE_ID,
    object: "invoice",
    livemode: false,
    status: "pending",
    exception: "none",
    title: "Pro plan",
    description: null,
    reference: null,
    customer_id: CUSTOMER_ID,
    currency: "USD",
    items: [{ description: "Pro plan, 1 month", quantity: 1, unit_price: "49.00", amount: "49.00" }],
    subtotal: "49.00",
    tax: "0.00",
    total: "49.00",
    crypto: {
      currency: "USDT",
      network: "tron",
      amount: "49.007352",
      amount_minor: "49007352",
      received: "0",
      received_minor: "0",
    },
    exchange_rate: {
      rate: "0.99985",
      source: "median(binance,coingecko,kraken)",
      locked_at: "2025-06-01T12:00:00.000Z",
      expires_at: "2025-06-01T12:30:00.000Z",
    },
    payment_address: "TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC",
    payment_uri: "tron:TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC?amount=49.007352&token=TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    hosted_url: `${origin.replace(/\/+$/, "")}/pay/${INVOICE_ID}`,
    payment_tolerance: {
      underpayment_threshold_percent: "0.50",
      overpayment_threshold_percent: "1.00",
      overpayment_action: "credit",
    },
    required_confirmations: 19,
    metadata: {},
    redirect_url: "https://shop.example.com/thanks",
    expires_at: "2025-06-01T12:30:00.000Z",
    created_at: "2025-06-01T12:00:00.000Z",
    updated_at: "2025-06-01T12:00:00.000Z",
    paid_at: null,
  };
}

const exampleCustomer = {
  id: CUSTOMER_ID,
  object: "customer",
  email: "buyer@example.com",
  status: "active",
  metadata: { crm_id: "C-5521" },
  created_at: "2025-06-01T11:58:12.000Z",
  updated_at: "2025-06-01T11:58:12.000Z",
  last_seen_at: null,
};

/** Example success responses, keyed by operationId: status code and JSON body. */
export function exampleResponse(operationId: string, origin: string): { status: string; body: unknown } | undefined {
  switch (operationId) {
    case "createInvoice":
      return { status: "201", body: exampleInvoice(origin) };
    case "createCustomer":
      return { status: "201", body: exampleCustomer };
    case "listCustomers":
      return { status: "200", body: { object: "list", data: [exampleCustomer], has_more: false, next_cursor: null } };
    default:
      return undefined;
  }
}

/** An error as every endpoint returns it (here: a 400 for a bad field). */
export const EXAMPLE_ERROR = {
  error: {
    code: "validation_failed",
    message: "Invalid body: items.0.unit_price — must be a decimal string with at most 2 decimals, e.g. \"49.00\"",
    details: {
      issues: [
        {
          path: "items.0.unit_price",
          message: "must be a decimal string with at most 2 decimals, e.g. \"49.00\"",
          code: "invalid_format",
        },
      ],
    },
    request_id: "req_5f0c7a9e-3b1d-4c52-9a57-0e1f2d3c4b5a",
  },
};
