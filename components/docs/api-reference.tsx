import Link from "next/link";
import { CopyButton } from "@/components/checkout/copy-button";
import { Badge } from "@/components/ui/badge";
import { CodeBlock } from "./code-block";
import { buildCurlExample, EXAMPLE_API_KEY } from "./curl";
import { EMBED_EVENTS_SNIPPET, embedSnippet } from "./embed-snippet";
import { EXAMPLE_ERROR, EXAMPLE_REQUESTS, exampleResponse } from "./examples";
import { MethodBadge } from "./method-badge";
import {
  componentSchema,
  groupByTag,
  listOperations,
  objectAnchor,
  responseShape,
  returnedObjects,
  serverParts,
  serverUrl,
  tagAnchor,
  typeLabel,
  type DocOperation,
  type DocParameter,
  type DocResponse,
  type JsonSchema,
  type OpenApiDocument,
} from "./openapi-model";
import { SchemaConstraints, SchemaView } from "./schema-view";

/**
 * The API reference, rendered from the generated OpenAPI document: an introduction (quickstart,
 * authentication, idempotency, errors, rate limits, amounts), every operation grouped by tag, and
 * the embed snippet. Takes the document as a prop so it renders without a server (tests).
 */

const OPENAPI_URL = "/api/v1/openapi.json";

const GUIDES = [
  { id: "quickstart", label: "Verify it works" },
  { id: "authentication", label: "Authentication" },
  { id: "idempotency", label: "Idempotency" },
  { id: "errors", label: "Errors" },
  { id: "rate-limits", label: "Rate limits" },
  { id: "amounts", label: "Amounts and formats" },
] as const;

/** Meanings of the error statuses; the document's own descriptions win where it has them. */
const STATUS_MEANINGS: Record<string, string> = {
  "400": "The request is malformed or a field is invalid (details.issues names each field)",
  "401": "Missing, malformed, unknown, revoked or expired API key",
  "403": "The key lacks the permission, or the merchant may not use this key",
  "404": "No such resource for this merchant and mode",
  "409": "Idempotency-Key reused with another body, or the resource's state forbids the change",
  "413": "The request body is larger than 64 KB",
  "422": "A business rule refused the request (for example a blocked customer or no wallet configured)",
  "429": "Rate limit exceeded; wait Retry-After seconds",
  "503": "No valid exchange rate is available right now; nothing was created",
};

const RATE_LIMIT_HEADERS = [
  ["X-RateLimit-Limit", "Requests allowed per minute for this key"],
  ["X-RateLimit-Remaining", "Requests left in the current window"],
  ["X-RateLimit-Reset", "Seconds until the window resets"],
  ["Retry-After", "On 429 (and on 409 while an idempotent request is still running): seconds to wait before retrying"],
] as const;

const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
const inlineCode =
  "rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";
const card = "rounded-xl border border-zinc-200 bg-white p-5 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900";
const h2 = "scroll-mt-6 text-xl font-semibold tracking-tight";
const prose = "text-sm leading-6 text-zinc-600 dark:text-zinc-400";

function C({ children }: { children: React.ReactNode }) {
  return <code className={inlineCode}>{children}</code>;
}

/** Substitutes example values into `{name}` path segments. */
export function fillPath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The curl command shown for an operation, with its example body, query and path values. */
export function operationCurl(op: DocOperation, origin: string): string {
  const example = EXAMPLE_REQUESTS[op.operationId] ?? {};
  return buildCurlExample(op.method, fillPath(op.fullPath, example.pathParams), {
    baseUrl: origin,
    body: op.requestBody ? (example.body ?? {}) : undefined,
    query: example.query,
    idempotent: op.idempotent ? (example.idempotencyKey ?? true) : false,
    pretty: true,
  });
}

const headerName = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

/**
 * Parameters as a table from the sm breakpoint up; on phones each row reflows into a compact block
 * (name, location, type and requiredness on one line, the description below), so nothing scrolls.
 */
function ParametersTable({ doc, parameters }: { doc: OpenApiDocument; parameters: DocParameter[] }) {
  const cell = "sm:px-3 sm:py-2.5";
  return (
    <div className="overflow-hidden rounded-xl border border-zinc-200 sm:overflow-x-auto dark:border-zinc-800">
      <table className="block w-full text-left text-sm sm:table sm:min-w-[36rem]">
        <thead className="hidden bg-zinc-50 text-xs text-zinc-500 sm:table-header-group dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium sm:px-4">Name</th>
            <th scope="col" className="px-3 py-2 font-medium">In</th>
            <th scope="col" className="px-3 py-2 font-medium">Type</th>
            <th scope="col" className="px-3 py-2 font-medium">Required</th>
            <th scope="col" className="px-3 py-2 font-medium sm:pr-4">Description</th>
          </tr>
        </thead>
        <tbody className="block divide-y divide-zinc-200 bg-white align-top sm:table-row-group dark:divide-zinc-800 dark:bg-zinc-950/40">
          {parameters.map((p) => (
            <tr
              key={`${p.in}:${p.name}`}
              data-param={p.name}
              className="flex flex-wrap items-baseline gap-x-2 gap-y-1 px-3 py-2.5 sm:table-row sm:p-0"
            >
              <td className={`${cell} sm:pl-4`}>
                <code className="font-mono font-semibold break-all sm:break-normal sm:whitespace-nowrap">
                  {p.in === "header" ? headerName(p.name) : p.name}
                </code>
              </td>
              <td className={`${cell} text-xs text-zinc-600 sm:text-sm dark:text-zinc-400`}>{p.in}</td>
              <td className={`${cell} font-mono text-xs text-zinc-600 dark:text-zinc-400`}>{typeLabel(doc, p.schema)}</td>
              <td className={cell}>
                {p.required ? (
                  <span className="text-xs font-medium text-rose-600 dark:text-rose-400">required</span>
                ) : (
                  <span className="text-xs text-zinc-500">optional</span>
                )}
              </td>
              <td className={`${cell} basis-full text-zinc-600 sm:pr-4 dark:text-zinc-400`}>
                {p.description ?? <span className="hidden text-zinc-400 sm:inline dark:text-zinc-600">—</span>}
                <SchemaConstraints doc={doc} schema={p.schema} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function statusTone(status: string): "green" | "amber" | "red" | "neutral" {
  if (status.startsWith("2")) return "green";
  if (status.startsWith("4")) return "amber";
  if (status.startsWith("5")) return "red";
  return "neutral";
}

function Responses({ doc, responses }: { doc: OpenApiDocument; responses: DocResponse[] }) {
  return (
    <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
      {responses.map((r) => {
        const success = r.status.startsWith("2");
        return (
          <li key={r.status} data-status={r.status} className="px-3 py-2.5 sm:px-4">
            <div className="flex items-start gap-3">
              <span className="mt-px w-10 shrink-0">
                <Badge tone={statusTone(r.status)}>{r.status}</Badge>
              </span>
              <div className="min-w-0 flex-1 text-sm">
                <p className="text-zinc-700 dark:text-zinc-300">{r.description}</p>
                {r.schema && !success && (
                  <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                    Body: an <a href="#errors" className={link}>error object</a>
                  </p>
                )}
                {r.schema && success && <ResponseBody doc={doc} schema={r.schema} />}
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** A success body: a link to the object it returns (documented once per tag), or its fields inline. */
function ResponseBody({ doc, schema }: { doc: OpenApiDocument; schema: JsonSchema }) {
  const shape = responseShape(doc, schema);
  if (shape.kind === "object" || shape.kind === "list") {
    const object = (
      <a href={`#${objectAnchor(shape.name)}`} className={link}>
        {shape.name}
      </a>
    );
    return (
      <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
        {shape.kind === "object" ? <>Body: the {object} object</> : <>Body: a page of {object} objects (<C>data</C>, <C>has_more</C>, <C>next_cursor</C>)</>}
      </p>
    );
  }
  return (
    <details className="mt-1.5">
      <summary className="cursor-pointer text-xs font-medium text-indigo-600 select-none hover:underline dark:text-indigo-400">
        Show the {typeLabel(doc, schema)} fields
      </summary>
      <div className="mt-2">
        <SchemaView doc={doc} schema={schema} mode="response" maxDepth={5} />
      </div>
    </details>
  );
}

const OBJECT_DESCRIPTIONS: Record<string, string> = {
  Invoice:
    "A request for payment: the fiat items and total, the exact crypto amount at a locked exchange rate, the address the buyer pays to, and where the payment stands.",
  Customer: "A buyer, identified by email. Invoices can belong to a customer; a blocked customer cannot be given new invoices.",
};

/** "The Invoice object": a returned component schema, documented once and linked from responses. */
function ObjectCard({ doc, name }: { doc: OpenApiDocument; name: string }) {
  const schema = componentSchema(doc, name);
  if (!schema) return null;
  const count = Object.keys(schema.properties ?? {}).length;
  return (
    <article id={objectAnchor(name)} aria-labelledby={`${objectAnchor(name)}-title`} className={`${card} scroll-mt-6 space-y-3`} data-object={name}>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="indigo">object</Badge>
        <h3 id={`${objectAnchor(name)}-title`} className="text-lg font-semibold tracking-tight">
          The {name} object
        </h3>
      </div>
      {OBJECT_DESCRIPTIONS[name] && <p className={prose}>{OBJECT_DESCRIPTIONS[name]}</p>}
      <details>
        <summary className="cursor-pointer text-sm font-medium text-indigo-600 select-none hover:underline dark:text-indigo-400">
          Show all {count} fields
        </summary>
        <div className="mt-3">
          <SchemaView doc={doc} schema={{ $ref: `#/components/schemas/${name}` }} mode="response" maxDepth={5} />
        </div>
      </details>
    </article>
  );
}

/** Operations grouped by tag, each group with the objects its responses return (each object once). */
function sections(doc: OpenApiDocument) {
  const placed = new Set<string>();
  return groupByTag(listOperations(doc)).map((group) => {
    const objects = returnedObjects(doc, group.operations).filter((name) => !placed.has(name));
    objects.forEach((name) => placed.add(name));
    return { ...group, objects };
  });
}

function H4({ children }: { children: React.ReactNode }) {
  return <h4 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{children}</h4>;
}

function OperationCard({ doc, op, origin }: { doc: OpenApiDocument; op: DocOperation; origin: string }) {
  const curl = operationCurl(op, origin);
  const response = exampleResponse(op.operationId, origin);
  return (
    <article id={op.operationId} aria-labelledby={`${op.operationId}-title`} className={`${card} scroll-mt-6 space-y-5`} data-operation={op.operationId}>
      <header className="space-y-2">
        <div className="flex min-w-0 items-center gap-2">
          <MethodBadge method={op.method} />
          <code className="min-w-0 font-mono text-sm break-all text-zinc-800 dark:text-zinc-200">{op.fullPath}</code>
        </div>
        <h3 id={`${op.operationId}-title`} className="text-lg font-semibold tracking-tight">
          <a href={`#${op.operationId}`} className="hover:underline">
            {op.summary}
          </a>
        </h3>
        {op.description && <p className={prose}>{op.description}</p>}
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          operationId <code className="font-mono">{op.operationId}</code>
          {op.idempotent && <> · accepts <a href="#idempotency" className={link}>Idempotency-Key</a></>}
        </p>
      </header>

      {op.parameters.length > 0 && (
        <section aria-label={`${op.summary}: parameters`}>
          <H4>Parameters</H4>
          <ParametersTable doc={doc} parameters={op.parameters} />
        </section>
      )}

      {op.requestBody && (
        <section aria-label={`${op.summary}: request body`} data-testid={`${op.operationId}-body`}>
          <H4>
            Request body <span className="font-normal normal-case">· {op.requestBody.contentType}</span>
          </H4>
          <SchemaView doc={doc} schema={op.requestBody.schema} mode="request" />
        </section>
      )}

      <section aria-label={`${op.summary}: responses`}>
        <H4>Responses</H4>
        <Responses doc={doc} responses={op.responses} />
      </section>

      <section aria-label={`${op.summary}: example`} className="space-y-3">
        <H4>Example</H4>
        <CodeBlock code={curl} title="curl" copyLabel="curl command" testId={`${op.operationId}-curl`} />
        {response && (
          <CodeBlock
            code={JSON.stringify(response.body, null, 2)}
            title={`Response · ${response.status}`}
            copyLabel="example response"
            testId={`${op.operationId}-response`}
          />
        )}
      </section>
    </article>
  );
}

/** Every operation of the document, grouped by tag, each with an `id` anchor named after its operationId. */
export function OperationList({ document, origin }: { document: OpenApiDocument; origin?: string }) {
  const groups = sections(document);
  const base = origin ?? serverParts(document).origin;
  return (
    <div className="space-y-14">
      {groups.map((group) => (
        <section key={group.tag} aria-labelledby={tagAnchor(group.tag)} className="space-y-5">
          <h2 id={tagAnchor(group.tag)} className={h2}>
            {group.tag}
          </h2>
          {group.objects.map((name) => (
            <ObjectCard key={name} doc={document} name={name} />
          ))}
          {group.operations.map((op) => (
            <OperationCard key={op.operationId} doc={document} op={op} origin={base} />
          ))}
        </section>
      ))}
    </div>
  );
}

function TocList({ groups }: { groups: ReturnType<typeof sections> }) {
  const item = "block rounded-md px-2 py-1 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100";
  const heading = "px-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400";
  return (
    <div className="space-y-5 text-sm">
      <div>
        <p className={heading}>Getting started</p>
        <ul className="mt-1.5 space-y-0.5">
          {GUIDES.map((g) => (
            <li key={g.id}>
              <a href={`#${g.id}`} className={item}>
                {g.label}
              </a>
            </li>
          ))}
        </ul>
      </div>
      {groups.map((group) => (
        <div key={group.tag}>
          <a href={`#${tagAnchor(group.tag)}`} className={`${heading} hover:text-zinc-900 dark:hover:text-zinc-100`}>
            {group.tag}
          </a>
          <ul className="mt-1.5 space-y-0.5">
            {group.objects.map((name) => (
              <li key={name}>
                <a href={`#${objectAnchor(name)}`} className={`${item} flex items-center gap-2`}>
                  <span className="inline-flex w-11 shrink-0 justify-center rounded-md px-1 py-px font-mono text-[10px] font-semibold text-indigo-700 ring-1 ring-indigo-200 ring-inset dark:text-indigo-300 dark:ring-indigo-900">
                    OBJ
                  </span>
                  <span className="min-w-0 truncate">The {name} object</span>
                </a>
              </li>
            ))}
            {group.operations.map((op) => (
              <li key={op.operationId}>
                <a href={`#${op.operationId}`} className={`${item} flex items-center gap-2`}>
                  <MethodBadge method={op.method} size="sm" />
                  <span className="min-w-0 truncate">{op.summary}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <div>
        <p className={heading}>Checkout</p>
        <ul className="mt-1.5 space-y-0.5">
          <li>
            <a href="#embed" className={item}>
              Embed the checkout
            </a>
          </li>
        </ul>
      </div>
    </div>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <li className="relative flex gap-4">
      <span
        aria-hidden
        className="grid size-7 shrink-0 place-items-center rounded-full bg-indigo-600 text-sm font-semibold text-white dark:bg-indigo-500"
      >
        {n}
      </span>
      <div className="min-w-0 flex-1 space-y-3 pb-1">
        <h3 className="pt-0.5 font-semibold">{title}</h3>
        {children}
      </div>
    </li>
  );
}

export function ApiReference({ document }: { document: OpenApiDocument }) {
  const operations = listOperations(document);
  const groups = sections(document);
  const { origin } = serverParts(document);
  const apiBase = serverUrl(document);
  const info = (document as { info?: { title?: string; version?: string } }).info ?? {};
  const createInvoice = operations.find((op) => op.operationId === "createInvoice");
  const quickstartCurl = createInvoice ? operationCurl(createInvoice, origin) : "";

  const errorStatuses = new Map<string, string>(Object.entries(STATUS_MEANINGS));
  for (const op of operations) {
    for (const r of op.responses) if (/^[45]/.test(r.status) && r.description) errorStatuses.set(r.status, r.description);
  }

  return (
    <div className="mx-auto max-w-6xl px-4 sm:px-6 lg:grid lg:grid-cols-[13.5rem_minmax(0,1fr)] lg:gap-10">
      <aside className="hidden lg:block">
        <nav aria-label="API reference contents" className="sticky top-0 max-h-dvh overflow-y-auto py-10 pr-1">
          <TocList groups={groups} />
        </nav>
      </aside>

      <main className="min-w-0 space-y-14 py-8 sm:py-10">
        <header className="space-y-4">
          <p className="text-sm font-medium text-indigo-600 dark:text-indigo-400">Developers</p>
          <h1 className="text-3xl font-semibold tracking-tight text-balance sm:text-4xl">API reference</h1>
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone="indigo">{info.title ?? "REST API"}</Badge>
            {info.version && <Badge>v{info.version}</Badge>}
            <Badge>OpenAPI 3.1</Badge>
          </div>
          <p className="max-w-2xl text-zinc-600 dark:text-zinc-400">
            Create invoices payable in BTC, ETH or USDT, send buyers to the hosted checkout and manage customers. The API
            speaks JSON over HTTPS, authenticates with secret keys, and is generated from the same schemas the server
            validates with, so this page always matches the code.
          </p>
          <div className="flex max-w-2xl flex-wrap items-center gap-2 rounded-xl border border-zinc-200 bg-white p-2 pl-3 dark:border-zinc-800 dark:bg-zinc-900">
            <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Base URL</span>
            <code className="min-w-0 flex-1 font-mono text-sm break-all" data-testid="api-base-url">
              {apiBase}
            </code>
            <CopyButton value={apiBase} label="base URL" className="min-h-9" />
          </div>
          <div className="flex flex-wrap gap-2">
            <a
              href={OPENAPI_URL}
              download="openapi.json"
              className="inline-flex min-h-10 items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
            >
              <svg aria-hidden viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" className="size-4">
                <path d="M10 3v10m0 0-4-4m4 4 4-4M4 16h12" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
              Download openapi.json
            </a>
            <a
              href="#embed"
              className="inline-flex min-h-10 items-center justify-center rounded-lg border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              Embed the checkout
            </a>
          </div>
        </header>

        <details className="rounded-xl border border-zinc-200 bg-white lg:hidden dark:border-zinc-800 dark:bg-zinc-900">
          <summary className="cursor-pointer px-4 py-3 text-sm font-medium select-none">On this page</summary>
          <nav aria-label="API reference contents (compact)" className="border-t border-zinc-200 px-2 py-4 dark:border-zinc-800">
            <TocList groups={groups} />
          </nav>
        </details>

        <section aria-labelledby="quickstart" className="space-y-5">
          <div>
            <h2 id="quickstart" className={h2}>
              Verify it works
            </h2>
            <p className={`mt-1 ${prose}`}>Four steps from a fresh account to a payable test invoice.</p>
          </div>
          <ol className={`${card} space-y-6`}>
            <Step n={1} title="Add an extended public key">
              <p className={prose}>
                In the dashboard, open{" "}
                <Link href="/merchant/wallets" className={link}>
                  Wallets
                </Link>{" "}
                and paste an extended <strong>public</strong> key for the network you want to be paid on (for Bitcoin test
                mode a BIP84 vpub). Each invoice gets a fresh address derived from it; the server never holds a private key.
              </p>
            </Step>
            <Step n={2} title="Create a test key">
              <p className={prose}>
                Under{" "}
                <Link href="/merchant/api-keys" className={link}>
                  API keys
                </Link>
                , create a key in test mode. It starts with <C>sk_test_</C> and is shown once: keep it on your server.
              </p>
            </Step>
            <Step n={3} title="Create an invoice">
              <p className={prose}>
                Replace <C>{EXAMPLE_API_KEY}</C> with your key and run:
              </p>
              <CodeBlock code={quickstartCurl} title="curl" copyLabel="curl command" testId="quickstart-curl" />
            </Step>
            <Step n={4} title="Open hosted_url">
              <p className={prose}>
                The <C>201</C> response is the invoice. Open its <C>hosted_url</C> (
                <C>{origin}/pay/&#123;id&#125;</C>) in a browser: it shows the amount, the address and a QR code, and
                follows the payment live. Test invoices are paid on test networks, so test coins are all you need.
              </p>
            </Step>
          </ol>
        </section>

        <section aria-labelledby="authentication" className="space-y-4">
          <h2 id="authentication" className={h2}>
            Authentication
          </h2>
          <div className={`${card} space-y-4`}>
            <p className={prose}>
              Send a secret API key as a bearer token on every request:{" "}
              <C>Authorization: Bearer sk_test_…</C>. Keys are shown once and stored only as a hash; never put one in a
              browser, an app or a repository. A missing, unknown, revoked or expired key gets <C>401</C>; a key without the
              permission an endpoint needs gets <C>403</C>.
            </p>
            <dl className="grid gap-3 sm:grid-cols-2">
              <div className="rounded-lg border border-amber-200 bg-amber-50/60 p-4 dark:border-amber-900 dark:bg-amber-950/30">
                <dt className="flex items-center gap-2 text-sm font-semibold">
                  <Badge tone="amber">test</Badge> <C>sk_test_…</C>
                </dt>
                <dd className={`mt-1.5 ${prose}`}>
                  Creates invoices on test networks (<C>livemode: false</C>). Nothing touches real funds. Test data is
                  separate from live data.
                </dd>
              </div>
              <div className="rounded-lg border border-indigo-200 bg-indigo-50/60 p-4 dark:border-indigo-900 dark:bg-indigo-950/30">
                <dt className="flex items-center gap-2 text-sm font-semibold">
                  <Badge tone="indigo">live</Badge> <C>sk_live_…</C>
                </dt>
                <dd className={`mt-1.5 ${prose}`}>
                  Creates real invoices on mainnet (<C>livemode: true</C>), paid to addresses derived from your live keys.
                </dd>
              </div>
            </dl>
          </div>
        </section>

        <section aria-labelledby="idempotency" className="space-y-4">
          <h2 id="idempotency" className={h2}>
            Idempotency
          </h2>
          <div className={`${card} space-y-3`}>
            <p className={prose}>
              Every POST accepts an <C>Idempotency-Key</C> header: 1–255 visible ASCII characters, such as your order ID.
              Retrying with the same key and the same body returns the first response again (with{" "}
              <C>Idempotent-Replayed: true</C>) instead of creating a second invoice, so a timeout is always safe to retry.
            </p>
            <ul className={`list-disc space-y-1 pl-5 ${prose}`}>
              <li>The same key with a different body is refused with <C>409</C>.</li>
              <li>A retry while the first request is still running gets <C>409</C> with <C>Retry-After</C>.</li>
              <li>A request that failed (not 2xx) releases its key, so a corrected retry goes through.</li>
              <li>Keys are kept for 24 hours, separately for test and live mode.</li>
            </ul>
          </div>
        </section>

        <section aria-labelledby="errors" className="space-y-4">
          <h2 id="errors" className={h2}>
            Errors
          </h2>
          <div className={`${card} space-y-4`}>
            <p className={prose}>
              Errors use the HTTP status for the kind of failure and one JSON shape for the rest: a stable machine-readable{" "}
              <C>code</C>, a human <C>message</C>, structured <C>details</C> and the <C>request_id</C> (also sent as the{" "}
              <C>X-Request-Id</C> header; quote it when you ask for help).
            </p>
            <CodeBlock code={JSON.stringify(EXAMPLE_ERROR, null, 2)} title="Error · 400" copyLabel="error example" />
            <div className="overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800">
              <table className="w-full text-left text-sm" data-testid="error-statuses">
                <thead className="bg-zinc-50 text-xs text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
                  <tr>
                    <th scope="col" className="px-3 py-2 font-medium sm:px-4">Status</th>
                    <th scope="col" className="px-3 py-2 font-medium sm:pr-4">Meaning</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                  {[...errorStatuses]
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([status, meaning]) => (
                      <tr key={status} className="align-top">
                        <td className="px-3 py-2.5 sm:px-4">
                          <Badge tone={statusTone(status)}>{status}</Badge>
                        </td>
                        <td className="px-3 py-2.5 text-zinc-700 sm:pr-4 dark:text-zinc-300">{meaning}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
            <p className={prose}>
              A <C>500</C> (<C>internal_error</C>) is our fault: retry POSTs with the same <C>Idempotency-Key</C>.
            </p>
          </div>
        </section>

        <section aria-labelledby="rate-limits" className="space-y-4">
          <h2 id="rate-limits" className={h2}>
            Rate limits
          </h2>
          <div className={`${card} space-y-4`}>
            <p className={prose}>
              Each API key has a budget of requests per minute (larger on paid plans). Every response reports where you
              stand; past the limit the API answers <C>429</C> with <C>Retry-After</C>. Wait that many seconds, then retry.
            </p>
            <dl className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
              {RATE_LIMIT_HEADERS.map(([name, meaning]) => (
                <div key={name} className="flex flex-col gap-1 px-3 py-2.5 sm:flex-row sm:gap-4 sm:px-4">
                  <dt className="shrink-0 font-mono text-sm font-semibold sm:w-52">{name}</dt>
                  <dd className="text-sm text-zinc-600 dark:text-zinc-400">{meaning}</dd>
                </div>
              ))}
            </dl>
          </div>
        </section>

        <section aria-labelledby="amounts" className="space-y-4">
          <h2 id="amounts" className={h2}>
            Amounts and formats
          </h2>
          <div className={card}>
            <ul className={`list-disc space-y-2 pl-5 ${prose}`}>
              <li>
                Amounts are <strong>decimal strings</strong>, never JSON numbers: fiat with at most two decimals (
                <C>&quot;49.00&quot;</C>), crypto in exact whole units (<C>&quot;0.00050516&quot;</C>) plus{" "}
                <C>amount_minor</C> in the smallest unit (satoshi, wei, 10⁻⁶ USDT). Parse them with a decimal library.
              </li>
              <li>
                The crypto amount is rounded up to the asset&apos;s smallest unit, and the exchange rate is locked until the
                invoice expires.
              </li>
              <li>IDs are UUIDs; timestamps are ISO 8601 in UTC.</li>
              <li>
                Lists are newest first and cursor-paginated: pass <C>next_cursor</C> as <C>starting_after</C> while{" "}
                <C>has_more</C> is true.
              </li>
            </ul>
          </div>
        </section>

        <OperationList document={document} origin={origin} />

        <section aria-labelledby="embed" className="space-y-4">
          <h2 id="embed" className={h2}>
            Embed the checkout
          </h2>
          <div className={`${card} space-y-4`}>
            <p className={prose}>
              Sell from your own page without an API call: create a payment link under{" "}
              <Link href="/merchant/payment-links" className={link}>
                Payment links
              </Link>
              , add the script once, and mark any button with <C>data-crypto-checkout</C>. A click opens the checkout in
              an overlay; each buyer gets their own invoice and address.
            </p>
            <CodeBlock code={embedSnippet(origin, `${origin}/pay/link/LINK_ID`)} title="HTML" copyLabel="embed snippet" testId="embed-snippet" />
            <p className={prose}>
              The attribute takes a <C>/pay/link/…</C> or <C>/pay/…</C> URL on this server; anything else is refused. The
              script dispatches events on the button (they bubble), so you can react when the buyer pays:
            </p>
            <CodeBlock code={EMBED_EVENTS_SNIPPET} title="JavaScript" copyLabel="event listener example" />
            <p className={prose}>
              <Link href="/docs/embed" className={link}>
                Try the live demo →
              </Link>
            </p>
          </div>
        </section>
      </main>
    </div>
  );
}
