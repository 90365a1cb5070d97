import Link from "next/link";
import { Field, SelectField, primaryButtonClass, secondaryButtonClass } from "@/components/ui/form";
import type { CatalogQuery } from "@/db/queries/catalog";
import { CLAUDE_MODEL_INFO, CLAUDE_MODELS, formatDecimalUnits } from "@/lib/domain";

const SORT_OPTIONS = [
  { value: "recommended", label: "Recommended" },
  { value: "price_asc", label: "Price: low to high" },
  { value: "price_desc", label: "Price: high to low" },
  { value: "quota", label: "Quota: highest first" },
];

const price = (minor: bigint | null) => (minor === null ? "" : formatDecimalUnits(minor, 2).replace(/\.00$/, ""));

/**
 * The catalog's filters as a plain GET form: the URL carries every filter, so a filtered page can
 * be shared, reloaded and used without JavaScript. Bad values come back named in `errors`.
 */
export function CatalogFilters({ query, errors }: { query: CatalogQuery; errors: Record<string, string> }) {
  return (
    <form method="get" action="/" role="search" aria-label="Filter accounts" className="rounded-2xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-6">
        <Field name="q" label="Search" type="search" placeholder="Opus, us-east-1…" defaultValue={query.q ?? ""} error={errors.q} className="col-span-2" maxLength={100} />
        <SelectField
          name="model"
          label="Model"
          className="col-span-2 sm:col-span-1"
          defaultValue={query.model ?? ""}
          error={errors.model}
          options={[{ value: "", label: "Any model" }, ...CLAUDE_MODELS.map((m) => ({ value: m, label: CLAUDE_MODEL_INFO[m].displayName }))]}
        />
        <SelectField
          name="level"
          label="Quota level"
          className="col-span-2 sm:col-span-1"
          defaultValue={query.level ?? ""}
          error={errors.level}
          options={[
            { value: "", label: "Any level" },
            { value: "HIGH", label: "High" },
            { value: "MEDIUM", label: "Medium" },
            { value: "LOW", label: "Low" },
          ]}
        />
        <Field name="min" label="Min price ($)" inputMode="decimal" placeholder="0" defaultValue={price(query.minPriceMinor)} error={errors.min} />
        <Field name="max" label="Max price ($)" inputMode="decimal" placeholder="Any" defaultValue={price(query.maxPriceMinor)} error={errors.max} />
      </div>
      <div className="mt-3 flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-wrap items-end gap-4">
          <SelectField name="sort" label="Sort by" defaultValue={query.sort} error={errors.sort} options={SORT_OPTIONS} className="min-w-48" />
          <label className="flex min-h-10 items-center gap-2 text-sm font-medium">
            <input type="checkbox" name="stock" value="1" defaultChecked={query.inStock} className="size-4 rounded border-zinc-300 accent-indigo-600" />
            In stock only
          </label>
        </div>
        <div className="flex gap-2">
          <Link href="/" className={secondaryButtonClass}>
            Clear
          </Link>
          <button type="submit" className={primaryButtonClass}>
            Apply filters
          </button>
        </div>
      </div>
    </form>
  );
}

/** The first and last page, and two on each side of the current one; null marks a gap. */
function pageWindow(page: number, pages: number): (number | null)[] {
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  return shown.flatMap((n, i) => (i > 0 && n - shown[i - 1]! > 1 ? [null, n] : [n]));
}

/** Links to the other pages of the results, keeping every filter in the URL. */
export function CatalogPagination({ page, pages, params }: { page: number; pages: number; params: URLSearchParams }) {
  if (pages <= 1) return null;
  const href = (n: number) => {
    const next = new URLSearchParams(params);
    if (n === 1) next.delete("page");
    else next.set("page", String(n));
    const text = next.toString();
    return text ? `/?${text}` : "/";
  };
  const link = "inline-flex min-h-10 min-w-10 items-center justify-center rounded-lg border border-zinc-300 px-3 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800";
  return (
    <nav aria-label="Pages" className="mt-8 flex flex-wrap items-center justify-center gap-2">
      {page > 1 && (
        <a href={href(page - 1)} className={link} rel="prev">
          Previous
        </a>
      )}
      {pageWindow(page, pages).map((n, i) =>
        n === null ? (
          <span key={`gap-${i}`} aria-hidden="true" className="px-1 text-zinc-400">
            …
          </span>
        ) : n === page ? (
          <span key={n} aria-current="page" className={`${link} border-indigo-600 bg-indigo-600 text-white hover:bg-indigo-600 dark:border-indigo-500 dark:bg-indigo-500`}>
            {n}
          </span>
        ) : (
          <a key={n} href={href(n)} className={link}>
            {n}
          </a>
        ),
      )}
      {page < pages && (
        <a href={href(page + 1)} className={link} rel="next">
          Next
        </a>
      )}
    </nav>
  );
}
