import type { Metadata } from "next";
import { connection } from "next/server";
import { ApiReference } from "@/components/docs/api-reference";
import { DocsHeader } from "@/components/docs/docs-header";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { settings } from "@/lib/config";

export const metadata: Metadata = {
  title: "API reference",
  description:
    "REST API for crypto invoices: authentication with test and live keys, idempotency, errors, rate limits, every endpoint with curl examples, and the embeddable checkout.",
};

/** The API reference, rendered on the server from the same OpenAPI document /api/v1/openapi.json serves. */
export default async function ApiDocsPage() {
  // Rendered per request: APP_URL (in every example URL) is read at run time, not at build time.
  await connection();
  const document = buildOpenApiDocument(settings().APP_URL);
  return (
    <>
      <DocsHeader current="/docs/api" />
      <ApiReference document={document} />
    </>
  );
}
