import type { buildOpenApiDocument } from "@/lib/api/openapi";

/**
 * A read-only view of the generated OpenAPI 3.1 document, shaped for rendering: operations in
 * document order with their parameters, request body and responses, `$ref`s left for the schema
 * renderer to resolve against `components.schemas`.
 */

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/** The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that the docs render. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface DocParameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface DocResponse {
  status: string;
  description: string;
  schema?: JsonSchema;
}

export interface DocOperation {
  operationId: string;
  method: HttpMethod;
  /** The path as written in the document, relative to the server URL: "/invoices/{id}". */
  path: string;
  /** The path from the host's root: "/api/v1/invoices/{id}". */
  fullPath: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters: DocParameter[];
  requestBody?: { required: boolean; contentType: string; schema: JsonSchema };
  responses: DocResponse[];
  /** Whether the operation accepts an Idempotency-Key header. */
  idempotent: boolean;
}

/** The document as plain JSON: what the renderer walks. */
interface RawDocument {
  servers?: { url: string }[];
  paths?: Record<string, Record<string, unknown> | undefined>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface RawOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const raw = (doc: OpenApiDocument) => doc as unknown as RawDocument;

/** The first server URL without a trailing slash, e.g. "https://pay.example.com/api/v1". */
export function serverUrl(doc: OpenApiDocument): string {
  return (raw(doc).servers?.[0]?.url ?? "/api/v1").replace(/\/+$/, "");
}

/** Splits the server URL into the origin (for curl) and the path prefix (for display). */
export function serverParts(doc: OpenApiDocument): { origin: string; basePath: string } {
  const url = serverUrl(doc);
  try {
    const parsed = new URL(url);
    return { origin: parsed.origin, basePath: parsed.pathname.replace(/\/+$/, "") };
  } catch {
    return { origin: "", basePath: url };
  }
}

function firstContent(content: Record<string, { schema?: JsonSchema }> | undefined) {
  const [contentType, media] = Object.entries(content ?? {})[0] ?? [];
  return contentType && media?.schema ? { contentType, schema: media.schema } : undefined;
}

/** Every operation in document order (paths as written, methods get/post/put/patch/delete). */
export function listOperations(doc: OpenApiDocument): DocOperation[] {
  const { basePath } = serverParts(doc);
  const operations: DocOperation[] = [];
  for (const [path, item] of Object.entries(raw(doc).paths ?? {})) {
    if (!item) continue;
    for (const method of METHODS) {
      const op = item[method] as RawOperation | undefined;
      if (!op) continue;
      const parameters: DocParameter[] = (op.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required === true || p.in === "path",
        description: p.description ?? p.schema?.description,
        schema: p.schema ?? {},
      }));
      const body = firstContent(op.requestBody?.content);
      operations.push({
        operationId: op.operationId ?? `${method}${path.replace(/[^A-Za-z0-9]+/g, "_")}`,
        method: method.toUpperCase() as HttpMethod,
        path,
        fullPath: `${basePath}${path}`,
        summary: op.summary ?? `${method.toUpperCase()} ${path}`,
        description: op.description,
        tags: op.tags?.length ? op.tags : ["Other"],
        parameters,
        requestBody: body ? { required: op.requestBody?.required !== false, ...body } : undefined,
        responses: Object.entries(op.responses ?? {})
          .map(([status, r]) => ({ status, description: r.description ?? "", schema: firstContent(r.content)?.schema }))
          .sort((a, b) => a.status.localeCompare(b.status)),
        idempotent: parameters.some((p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key"),
      });
    }
  }
  return operations;
}

/** Operations grouped by their first tag, tags in order of first appearance. */
export function groupByTag(operations: DocOperation[]): { tag: string; operations: DocOperation[] }[] {
  const groups = new Map<string, DocOperation[]>();
  for (const op of operations) {
    const tag = op.tags[0]!;
    groups.set(tag, [...(groups.get(tag) ?? []), op]);
  }
  return [...groups].map(([tag, ops]) => ({ tag, operations: ops }));
}

export function tagAnchor(tag: string): string {
  return `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

const REF_PREFIX = "#/components/schemas/";

/** The component name a `$ref` points at ("Invoice"), or undefined for other refs. */
export function refName(ref: string | undefined): string | undefined {
  return ref?.startsWith(REF_PREFIX) ? decodeURIComponent(ref.slice(REF_PREFIX.length)) : undefined;
}

/** Follows `$ref`s (a few levels at most) to the component schema; `name` is the last component named. */
export function resolveSchema(doc: OpenApiDocument, schema: JsonSchema): { schema: JsonSchema; name?: string } {
  const schemas = raw(doc).components?.schemas ?? {};
  let current = schema;
  let name: string | undefined;
  for (let hops = 0; current.$ref && hops < 8; hops++) {
    const target = refName(current.$ref);
    const resolved = target ? schemas[target] : undefined;
    if (!resolved) break;
    // Sibling keywords next to a $ref (allowed in 3.1) override the target's, e.g. a description.
    const { $ref: _ignored, ...siblings } = current;
    void _ignored;
    name = target;
    current = { ...resolved, ...siblings };
  }
  return { schema: current, name };
}

/** Splits "T | null" unions into the non-null part and a nullable flag. */
export function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const rest = schema.type.filter((t) => t !== "null");
    return { schema: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const variants = schema[key];
    if (variants && variants.some((v) => v.type === "null")) {
      const rest = variants.filter((v) => v.type !== "null");
      if (rest.length === 1) {
        const { [key]: _variants, ...siblings } = schema;
        void _variants;
        return { schema: { ...rest[0], ...siblings }, nullable: true };
      }
      return { schema: { ...schema, [key]: rest }, nullable: true };
    }
  }
  return { schema, nullable: schema.nullable === true };
}

/** A short type label: "string (uuid)", "integer", "array of InvoiceItemInput", "map of string". */
export function typeLabel(doc: OpenApiDocument, input: JsonSchema, depth = 0): string {
  if (depth > 4) return "…";
  const name = refName(input.$ref);
  const { schema: resolved } = resolveSchema(doc, input);
  const { schema, nullable } = unwrapNullable(resolved);
  const suffix = nullable ? " | null" : "";
  if (name && (resolved.type === "object" || resolved.properties)) return `${name}${suffix}`;
  if (schema.const !== undefined) return `${JSON.stringify(schema.const)}${suffix}`;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map((v) => typeLabel(doc, v, depth + 1)).join(" | ") + suffix;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  if (type === "array") return `array of ${schema.items ? typeLabel(doc, schema.items, depth + 1) : "any"}${suffix}`;
  if (type === "object" && !schema.properties && typeof schema.additionalProperties === "object") {
    return `map of ${typeLabel(doc, schema.additionalProperties, depth + 1)}${suffix}`;
  }
  if (!type) return `any${suffix}`;
  return `${type}${schema.format ? ` (${schema.format})` : ""}${suffix}`;
}

/**
 * What a response body is, for linking instead of repeating fields: a named component object
 * ("Invoice"), a list envelope of one (`{ object: "list", data: Invoice[] }`), or something else.
 */
export function responseShape(
  doc: OpenApiDocument,
  schema: JsonSchema,
): { kind: "object" | "list"; name: string } | { kind: "other" } {
  const { schema: resolved, name } = resolveSchema(doc, schema);
  const data = resolved.properties?.data;
  const listed = data?.type === "array" && data.items ? refName(data.items.$ref) : undefined;
  if (listed && resolved.properties?.object?.const === "list") return { kind: "list", name: listed };
  if (name && resolved.properties) return { kind: "object", name };
  return { kind: "other" };
}

export function objectAnchor(name: string): string {
  return `object-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

/** The component objects the group's successful responses return, in order of first use (not Error). */
export function returnedObjects(doc: OpenApiDocument, operations: DocOperation[]): string[] {
  const names: string[] = [];
  for (const op of operations) {
    for (const r of op.responses) {
      if (!r.status.startsWith("2") || !r.schema) continue;
      const shape = responseShape(doc, r.schema);
      if (shape.kind !== "other" && !names.includes(shape.name)) names.push(shape.name);
    }
  }
  return names;
}

/** A component schema by name, for rendering it once as "The Invoice object". */
export function componentSchema(doc: OpenApiDocument, name: string): JsonSchema | undefined {
  return raw(doc).components?.schemas?.[name];
}
