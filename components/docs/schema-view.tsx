import {
  resolveSchema,
  typeLabel,
  unwrapNullable,
  type JsonSchema,
  type OpenApiDocument,
} from "./openapi-model";

/**
 * Renders a JSON Schema from the OpenAPI document as a readable field list: name, type, required,
 * enum values, limits, pattern and description, recursing into objects, arrays and anyOf/oneOf
 * variants down to `maxDepth`. `$ref`s are resolved against components.schemas; a schema that
 * refers back to itself stops with a pointer instead of recursing forever.
 */

type Mode = "request" | "response";

type SchemaViewProps = {
  doc: OpenApiDocument;
  schema: JsonSchema;
  /** "request" shows required/optional and notes that unknown fields are refused. */
  mode?: Mode;
  depth?: number;
  maxDepth?: number;
  /** Component names already open on this branch (cycle guard). */
  seen?: string[];
};

// zod marks plain integers with the safe-integer range; that is noise to a reader.
const isSafeIntegerBound = (n: number | undefined) => n !== undefined && Math.abs(n) >= Number.MAX_SAFE_INTEGER;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function range(min: number | undefined, max: number | undefined, unit?: string): string | undefined {
  const fmt = (n: number) => (unit ? plural(n, unit) : String(n));
  if (min !== undefined && max !== undefined) return unit ? `${min}–${plural(max, unit)}` : `${min} to ${max}`;
  if (min !== undefined) return `at least ${fmt(min)}`;
  if (max !== undefined) return `at most ${fmt(max)}`;
  return undefined;
}

/** Human-readable limits of one schema, without enum values (those render as chips). */
export function constraintTexts(schema: JsonSchema): string[] {
  const out: string[] = [];
  const min = isSafeIntegerBound(schema.minimum) ? undefined : schema.minimum;
  const max = isSafeIntegerBound(schema.maximum) ? undefined : schema.maximum;
  const values = range(min, max);
  if (values) out.push(values);
  if (schema.exclusiveMinimum !== undefined) out.push(`greater than ${schema.exclusiveMinimum}`);
  if (schema.exclusiveMaximum !== undefined) out.push(`less than ${schema.exclusiveMaximum}`);
  const length = range(schema.minLength, schema.maxLength, "character");
  if (length) out.push(length);
  const items = range(schema.minItems, schema.maxItems, "item");
  if (items) out.push(items);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

/** Object schemas with named fields, arrays of them, and unions containing them get a nested view. */
function hasStructure(doc: OpenApiDocument, input: JsonSchema, depth = 0): boolean {
  if (depth > 3) return false;
  const { schema } = unwrapNullable(resolveSchema(doc, input).schema);
  if (schema.properties && Object.keys(schema.properties).length > 0) return true;
  if (schema.items) return hasStructure(doc, schema.items, depth + 1);
  const variants = schema.anyOf ?? schema.oneOf;
  return variants ? variants.some((v) => hasStructure(doc, v, depth + 1)) : false;
}

function Chip({ children }: { children: React.ReactNode }) {
  return (
    <code className="rounded-md bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-800 dark:text-zinc-200 dark:ring-zinc-700">
      {children}
    </code>
  );
}

/** Enum values, limits, pattern and example of a scalar (or a map's keys and values). */
export function SchemaConstraints({ doc, schema: input }: { doc: OpenApiDocument; schema: JsonSchema }) {
  const { schema } = unwrapNullable(resolveSchema(doc, input).schema);
  const item = schema.type === "array" && schema.items ? unwrapNullable(resolveSchema(doc, schema.items).schema).schema : undefined;
  const enumValues = schema.enum ?? item?.enum;
  const texts = constraintTexts(schema);
  if (item && !item.properties) texts.push(...constraintTexts(item).map((t) => `each ${t}`));
  const map = typeof schema.additionalProperties === "object" && !schema.properties ? schema.additionalProperties : undefined;
  if (schema.propertyNames) texts.push(...constraintTexts(schema.propertyNames).map((t) => `keys ${t}`));
  if (map) texts.push(...constraintTexts(map).map((t) => `values ${t}`));
  const pattern = !schema.format ? schema.pattern : undefined;
  const example = schema.example !== undefined && schema.const === undefined ? JSON.stringify(schema.example) : undefined;
  if (!enumValues?.length && texts.length === 0 && !pattern && !example) return null;
  return (
    <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1.5 text-xs text-zinc-600 dark:text-zinc-400">
      {enumValues && enumValues.length > 0 && (
        <span className="flex flex-wrap items-center gap-1">
          <span>{item?.enum ? "each one of" : "one of"}</span>
          {enumValues.map((v) => (
            <Chip key={String(v)}>{typeof v === "string" ? v : JSON.stringify(v)}</Chip>
          ))}
        </span>
      )}
      {texts.map((t) => (
        <span key={t}>{t}</span>
      ))}
      {pattern && (
        <span className="flex min-w-0 flex-wrap items-center gap-1">
          <span>pattern</span>
          <code className="font-mono break-all text-zinc-700 dark:text-zinc-300">{pattern}</code>
        </span>
      )}
      {example && (
        <span className="flex min-w-0 flex-wrap items-center gap-1">
          <span>example</span>
          <code className="font-mono break-all text-zinc-700 dark:text-zinc-300">{example}</code>
        </span>
      )}
    </div>
  );
}

function Field({
  doc,
  name,
  schema,
  required,
  mode,
  depth,
  maxDepth,
  seen,
}: {
  doc: OpenApiDocument;
  name: string;
  schema: JsonSchema;
  required: boolean;
  mode: Mode;
  depth: number;
  maxDepth: number;
  seen: string[];
}) {
  const resolved = resolveSchema(doc, schema).schema;
  const nested = hasStructure(doc, schema);
  return (
    <li data-field={name} className="px-3 py-2.5 sm:px-4">
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <code className="font-mono text-sm font-semibold break-all text-zinc-900 dark:text-zinc-100">{name}</code>
        <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{typeLabel(doc, schema)}</span>
        {mode === "request" &&
          (required ? (
            <span className="text-xs font-medium text-rose-600 dark:text-rose-400">required</span>
          ) : (
            <span className="text-xs text-zinc-500 dark:text-zinc-500">optional</span>
          ))}
      </div>
      {resolved.description && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{resolved.description}</p>}
      <SchemaConstraints doc={doc} schema={schema} />
      {nested &&
        (depth + 1 < maxDepth ? (
          <div className="mt-2.5">
            <SchemaView doc={doc} schema={schema} mode={mode} depth={depth + 1} maxDepth={maxDepth} seen={seen} />
          </div>
        ) : (
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Nested fields not shown.</p>
        ))}
    </li>
  );
}

export function SchemaView({ doc, schema: input, mode = "request", depth = 0, maxDepth = 4, seen = [] }: SchemaViewProps) {
  const { schema: resolved, name } = resolveSchema(doc, input);
  if (name && seen.includes(name)) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">A nested {name} (see above).</p>;
  }
  const path = name ? [...seen, name] : seen;
  const { schema } = unwrapNullable(resolved);
  const frame = depth === 0 ? "rounded-xl border" : "rounded-lg border";

  if (schema.properties && Object.keys(schema.properties).length > 0) {
    const required = new Set(schema.required ?? []);
    return (
      <div>
        <ul
          className={`${frame} divide-y divide-zinc-200 border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900`}
        >
          {Object.entries(schema.properties).map(([field, fieldSchema]) => (
            <Field
              key={field}
              doc={doc}
              name={field}
              schema={fieldSchema}
              required={required.has(field)}
              mode={mode}
              depth={depth}
              maxDepth={maxDepth}
              seen={path}
            />
          ))}
        </ul>
        {mode === "request" && depth === 0 && schema.additionalProperties === false && (
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Unknown fields are refused with 400.</p>
        )}
      </div>
    );
  }

  if (schema.items) {
    const item = resolveSchema(doc, schema.items);
    return (
      <div>
        <p className="mb-1.5 text-xs text-zinc-500 dark:text-zinc-400">
          Each item{item.name ? ` (${item.name})` : ""}:
        </p>
        {hasStructure(doc, schema.items) ? (
          <SchemaView doc={doc} schema={schema.items} mode={mode} depth={depth} maxDepth={maxDepth} seen={path} />
        ) : (
          <p className="font-mono text-xs">{typeLabel(doc, schema.items)}</p>
        )}
      </div>
    );
  }

  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    return (
      <div>
        <p className="mb-1.5 text-xs text-zinc-500 dark:text-zinc-400">{schema.oneOf ? "Exactly one of" : "Any of"}:</p>
        <ol className="space-y-2">
          {variants.map((variant, i) => (
            <li key={i} className="flex gap-2">
              <span className="mt-2 w-4 shrink-0 text-xs text-zinc-400 tabular-nums">{i + 1}.</span>
              <div className="min-w-0 flex-1">
                {hasStructure(doc, variant) ? (
                  <SchemaView doc={doc} schema={variant} mode={mode} depth={depth + 1} maxDepth={maxDepth} seen={path} />
                ) : (
                  <div className="py-1.5">
                    <span className="font-mono text-xs">{typeLabel(doc, variant)}</span>
                    <SchemaConstraints doc={doc} schema={variant} />
                  </div>
                )}
              </div>
            </li>
          ))}
        </ol>
      </div>
    );
  }

  // A scalar (or a map) at the top level.
  return (
    <div className={`${frame} border-zinc-200 bg-white px-3 py-2.5 dark:border-zinc-800 dark:bg-zinc-900`}>
      <span className="font-mono text-xs">{typeLabel(doc, input)}</span>
      {schema.description && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{schema.description}</p>}
      <SchemaConstraints doc={doc} schema={input} />
    </div>
  );
}
