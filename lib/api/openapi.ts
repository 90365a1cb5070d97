import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";
import {
  CancelInvoiceBody,
  CreateCustomerBody,
  CreateInvoiceBody,
  CustomerList,
  CustomerResponse,
  ErrorResponse,
  InvoiceList,
  InvoiceResponse,
  ListCustomersQuery,
  ListInvoicesQuery,
} from "./schemas";

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with. */

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description:
          {
            400: "The request is malformed or a field is invalid (details.issues names each field)",
            401: "Missing, malformed, unknown, revoked or expired API key",
            403: "The key lacks the permission, or the merchant may not use this key",
            404: "No such resource for this merchant and mode",
            409: "Idempotency-Key reused with another body, or the resource's state forbids the change",
            422: "A business rule refused the request (for example a blocked customer or no wallet configured)",
            429: "Rate limit exceeded; wait Retry-After seconds",
            503: "No valid exchange rate is available right now; nothing was created",
          }[status] ?? "Error",
        ...json(ErrorResponse),
      },
    ]),
  );

const idempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .max(255)
    .optional()
    .meta({ description: "Retrying with the same key and body returns the first response; a different body gets 409" }),
});

const idParam = (name: string) => z.object({ id: z.uuid().meta({ description: `The ${name} ID` }) });

function op(o: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  return { security: [{ bearerAuth: [] }], ...o };
}

export function buildOpenApiDocument(serverUrl: string) {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Crypto Checkout API",
      version: "1.0.0",
      description:
        "Create invoices payable in BTC, ETH or USDT, send buyers to the hosted checkout, and manage customers. " +
        "Authenticate with `Authorization: Bearer sk_live_…` or `sk_test_…`; test keys create test-network invoices. " +
        "Errors are `{ \"error\": { \"code\", \"message\", \"details\" } }`. Amounts are decimal strings, never floats.",
    },
    servers: [{ url: `${serverUrl.replace(/\/$/, "")}/api/v1` }],
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An API key: sk_live_… or sk_test_…" } },
    },
    paths: {
      "/invoices": {
        post: op({
          operationId: "createInvoice",
          summary: "Create an invoice",
          description:
            "Prices the items, locks the exchange rate until the invoice expires, converts exactly (rounded up to the asset's smallest unit) and derives a fresh payment address from your extended public key.",
          tags: ["Invoices"],
          requestParams: { header: idempotencyHeader },
          requestBody: json(CreateInvoiceBody),
          responses: { "201": { description: "The invoice", ...json(InvoiceResponse) }, ...errors(400, 401, 403, 409, 422, 429, 503) },
        }),
        get: op({
          operationId: "listInvoices",
          summary: "List invoices",
          description: "Newest first, cursor-paginated: pass next_cursor as starting_after.",
          tags: ["Invoices"],
          requestParams: { query: ListInvoicesQuery },
          responses: { "200": { description: "A page of invoices", ...json(InvoiceList) }, ...errors(400, 401, 403, 429) },
        }),
      },
      "/invoices/{id}": {
        get: op({
          operationId: "getInvoice",
          summary: "Retrieve an invoice",
          tags: ["Invoices"],
          requestParams: { path: idParam("invoice") },
          responses: { "200": { description: "The invoice", ...json(InvoiceResponse) }, ...errors(401, 403, 404, 429) },
        }),
      },
      "/invoices/{id}/cancel": {
        post: op({
          operationId: "cancelInvoice",
          summary: "Cancel an invoice",
          description: "Allowed while pending, partial or confirming; a paid, expired or cancelled invoice answers 409.",
          tags: ["Invoices"],
          requestParams: { path: idParam("invoice"), header: idempotencyHeader },
          requestBody: json(CancelInvoiceBody),
          responses: { "200": { description: "The cancelled invoice", ...json(InvoiceResponse) }, ...errors(400, 401, 403, 404, 409, 429) },
        }),
      },
      "/customers": {
        post: op({
          operationId: "createCustomer",
          summary: "Create a customer",
          tags: ["Customers"],
          requestParams: { header: idempotencyHeader },
          requestBody: json(CreateCustomerBody),
          responses: { "201": { description: "The customer", ...json(CustomerResponse) }, ...errors(400, 401, 403, 409, 429) },
        }),
        get: op({
          operationId: "listCustomers",
          summary: "List customers",
          tags: ["Customers"],
          requestParams: { query: ListCustomersQuery },
          responses: { "200": { description: "A page of customers", ...json(CustomerList) }, ...errors(400, 401, 403, 429) },
        }),
      },
      "/customers/{id}": {
        get: op({
          operationId: "getCustomer",
          summary: "Retrieve a customer",
          tags: ["Customers"],
          requestParams: { path: idParam("customer") },
          responses: { "200": { description: "The customer", ...json(CustomerResponse) }, ...errors(401, 403, 404, 429) },
        }),
      },
      "/customers/{id}/block": {
        post: op({
          operationId: "blockCustomer",
          summary: "Block a customer",
          description: "A blocked customer cannot be given a new invoice (422 customer.blocked).",
          tags: ["Customers"],
          requestParams: { path: idParam("customer"), header: idempotencyHeader },
          responses: { "200": { description: "The customer", ...json(CustomerResponse) }, ...errors(401, 403, 404, 429) },
        }),
      },
      "/customers/{id}/unblock": {
        post: op({
          operationId: "unblockCustomer",
          summary: "Unblock a customer",
          tags: ["Customers"],
          requestParams: { path: idParam("customer"), header: idempotencyHeader },
          responses: { "200": { description: "The customer", ...json(CustomerResponse) }, ...errors(401, 403, 404, 429) },
        }),
      },
    },
  });
}
