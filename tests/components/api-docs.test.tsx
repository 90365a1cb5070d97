import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ApiReference, OperationList } from "@/components/docs/api-reference";
import { CREATE_INVOICE_EXAMPLE, EXAMPLE_REQUESTS, exampleResponse } from "@/components/docs/examples";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import {
  CancelInvoiceBody,
  CreateCustomerBody,
  CreateInvoiceBody,
  CustomerList,
  CustomerResponse,
  InvoiceResponse,
} from "@/lib/api/schemas";

afterEach(cleanup);

// Built directly (not via lib/config), so the test neither reads env nor writes secrets.
const document_ = buildOpenApiDocument("http://localhost:3000");
const json = JSON.parse(JSON.stringify(document_)) as {
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>>;
};
const operationIds = Object.values(json.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));

/** The JSON between -d '…' in a curl command, with shell quoting undone. */
function curlBody(command: string): unknown {
  const match = /-d '([\s\S]*)'$/.exec(command);
  expect(match, "curl command has a -d '…' body").not.toBeNull();
  return JSON.parse(match![1]!.replaceAll(`'\\''`, "'"));
}

/** Accessible names of the buttons, cheaply (getByRole is slow on a page this size). */
const buttonNames = (root: HTMLElement) =>
  [...root.querySelectorAll("button")].map((b) => (b.getAttribute("aria-label") ?? b.textContent ?? "").replace(/\s+/g, " ").trim());

const codeOf = (testId: string) => screen.getByTestId(testId).querySelector("pre")!.textContent ?? "";

describe("API reference", () => {
  it("has every operation of the document, with an anchor and a table-of-contents link", () => {
    const { container } = render(<ApiReference document={document_} />);
    expect(operationIds.length).toBeGreaterThanOrEqual(9);
    for (const id of operationIds) {
      const article = container.querySelector(`article[id="${id}"]`);
      expect(article, id).not.toBeNull();
      expect(within(article as HTMLElement).getByText(id)).toBeTruthy();
      expect(container.querySelectorAll(`nav a[href="#${id}"]`).length, `TOC links to ${id}`).toBeGreaterThan(0);
      expect(buttonNames(article as HTMLElement).filter((name) => name === "Copy curl command")).toHaveLength(1);
    }
    expect(container.querySelectorAll("h1")).toHaveLength(1);
    const h2s = [...container.querySelectorAll("h2")].map((h) => h.textContent);
    expect(h2s).toEqual(expect.arrayContaining(["Verify it works", "Invoices", "Customers", "Embed the checkout"]));
    // Returned objects are documented once and linked from the responses.
    for (const name of ["Invoice", "Customer"]) {
      expect(container.querySelectorAll(`[data-object="${name}"]`)).toHaveLength(1);
      expect(container.querySelectorAll(`a[href="#object-${name.toLowerCase()}"]`).length).toBeGreaterThan(1);
    }
  });

  it("shows a createInvoice curl command with the bearer key, idempotency key and a JSON body that parses", () => {
    render(<ApiReference document={document_} />);
    const curl = codeOf("createInvoice-curl");
    expect(curl).toMatch(/^curl -X POST "http:\/\/localhost:3000\/api\/v1\/invoices"/);
    expect(curl).toContain('-H "Authorization: Bearer sk_test_..."');
    expect(curl).toContain('-H "Content-Type: application/json"');
    expect(curl).toContain('-H "Idempotency-Key: order-1001"');
    expect(curlBody(curl)).toEqual(CREATE_INVOICE_EXAMPLE);
    // The quickstart shows the same command.
    expect(codeOf("quickstart-curl")).toBe(curl);
  });

  it("shows GET examples without a body and with the path filled in", () => {
    render(<ApiReference document={document_} />);
    const curl = codeOf("getInvoice-curl");
    expect(curl).toMatch(/^curl "http:\/\/localhost:3000\/api\/v1\/invoices\/[0-9a-f-]{36}"/);
    expect(curl).not.toContain("-d ");
    expect(curl).not.toContain("{id}");
  });

  it("resolves $ref request schemas into a field list with types, requiredness and enum values", () => {
    render(<ApiReference document={document_} />);
    const body = screen.getByTestId("createInvoice-body");
    const crypto = body.querySelector('[data-field="crypto_currency"]') as HTMLElement;
    expect(crypto).not.toBeNull();
    for (const value of ["BTC", "ETH", "USDT"]) expect(within(crypto).getByText(value)).toBeTruthy();
    expect(within(crypto).getByText("required")).toBeTruthy();
    const network = body.querySelector('[data-field="network"]') as HTMLElement;
    expect(within(network).getByText("optional")).toBeTruthy();
    expect(within(network).getByText("Required for USDT (ethereum or tron)")).toBeTruthy();
    // items → array of the InvoiceItemInput component, resolved and nested.
    const items = body.querySelector('[data-field="items"]') as HTMLElement;
    expect(within(items).getByText("array of InvoiceItemInput")).toBeTruthy();
    expect(items.querySelector('[data-field="unit_price"]')).not.toBeNull();
    expect(within(items).getByText("1–100 items")).toBeTruthy();
    expect(within(body.querySelector('[data-field="title"]') as HTMLElement).getByText("1–255 characters")).toBeTruthy();
  });

  it("lists parameters and response codes from the document", () => {
    const { container } = render(<ApiReference document={document_} />);
    const list = container.querySelector("#listInvoices") as HTMLElement;
    for (const name of ["limit", "starting_after", "status", "created_gte", "customer_id", "q"]) {
      expect(list.querySelector(`tr[data-param="${name}"]`), name).not.toBeNull();
    }
    const id = (container.querySelector("#getInvoice") as HTMLElement).querySelector('tr[data-param="id"]') as HTMLElement;
    expect(within(id).getByText("path")).toBeTruthy();
    expect(within(id).getByText("required")).toBeTruthy();
    const create = container.querySelector("#createInvoice") as HTMLElement;
    expect(create.querySelector('tr[data-param="idempotency-key"]')).not.toBeNull();
    for (const status of ["201", "400", "401", "403", "409", "422", "429", "503"]) {
      expect(create.querySelector(`li[data-status="${status}"]`), status).not.toBeNull();
    }
  });

  it("explains every error status and links the OpenAPI document", () => {
    const { container } = render(<ApiReference document={document_} />);
    const table = screen.getByTestId("error-statuses");
    for (const status of ["400", "401", "403", "404", "409", "413", "422", "429", "503"]) {
      expect(within(table).getByText(status)).toBeTruthy();
    }
    const linkTo = (href: string) => container.querySelector(`a[href="${href}"]`)?.textContent ?? "";
    expect(linkTo("/api/v1/openapi.json")).toContain("Download openapi.json");
    expect(linkTo("/docs/embed")).toContain("live demo");
    expect(codeOf("embed-snippet")).toContain('<script src="http://localhost:3000/embed.js" async></script>');
  });

  it("renders the operation list on its own", () => {
    const { container } = render(<OperationList document={document_} origin="https://pay.example.com" />);
    expect(container.querySelectorAll("article[data-operation]")).toHaveLength(operationIds.length);
    expect(codeOf("createInvoice-curl")).toContain('"https://pay.example.com/api/v1/invoices"');
    expect(JSON.parse(codeOf("createInvoice-response"))).toMatchObject({
      hosted_url: expect.stringMatching(/^https:\/\/pay\.example\.com\/pay\/[0-9a-f-]{36}$/),
    });
  });
});

describe("examples", () => {
  const requestSchemas: Record<string, z.ZodType> = {
    createInvoice: CreateInvoiceBody,
    cancelInvoice: CancelInvoiceBody,
    createCustomer: CreateCustomerBody,
  };

  it("has an example for every operation, and a body exactly where the operation takes one", () => {
    for (const [path, item] of Object.entries(json.paths)) {
      for (const op of Object.values(item)) {
        const example = EXAMPLE_REQUESTS[op.operationId];
        expect(example, op.operationId).toBeDefined();
        expect(example!.body !== undefined, `${op.operationId} body`).toBe(op.requestBody !== undefined);
        for (const param of path.match(/\{(\w+)\}/g) ?? []) {
          expect(example!.pathParams?.[param.slice(1, -1)], `${op.operationId} ${param}`).toBeDefined();
        }
      }
    }
  });

  it.each(Object.entries(requestSchemas))("the %s example body passes the API's own validation", (id, schema) => {
    expect(schema.safeParse(EXAMPLE_REQUESTS[id]!.body).error).toBeUndefined();
  });

  it("example responses match the response schemas", () => {
    expect(InvoiceResponse.safeParse(exampleResponse("createInvoice", "http://localhost:3000")!.body).error).toBeUndefined();
    expect(CustomerResponse.safeParse(exampleResponse("createCustomer", "http://localhost:3000")!.body).error).toBeUndefined();
    expect(CustomerList.safeParse(exampleResponse("listCustomers", "http://localhost:3000")!.body).error).toBeUndefined();
  });
});
