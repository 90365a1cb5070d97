import Link from "next/link";
import { inputClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/form";
import { FieldError } from "@/components/ui/form";
import { CRYPTO_CURRENCIES, FIAT_CURRENCIES, INVOICE_STATUSES } from "@/lib/domain";
import type { InvoiceQueryField } from "@/lib/invoices/dashboard-params";

type Props = {
  values: Record<InvoiceQueryField, string>;
  errors: Partial<Record<InvoiceQueryField, string>>;
  mode: "live" | "test";
};

function Labelled({ id, label, error, children, className }: { id: string; label: string; error?: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

const aria = (id: string, error?: string) => ({ id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : undefined });

/**
 * The list's search, filters and sort as a plain GET form: the URL holds the whole query, so a
 * filtered list can be bookmarked, shared and exported, and it works without JavaScript.
 */
export function InvoiceFilters({ values, errors, mode }: Props) {
  return (
    <form method="get" action="/merchant/invoices" role="search" aria-label="Search and filter invoices" className="space-y-4 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <input type="hidden" name="mode" value={mode} />
      <Labelled id="q" label="Search" error={errors.q}>
        <input
          {...aria("q", errors.q)}
          name="q"
          type="search"
          defaultValue={values.q}
          maxLength={200}
          placeholder="Title, reference, customer email, invoice id, tx hash or address"
          className={inputClass}
        />
      </Labelled>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Labelled id="status" label="Status" error={errors.status}>
          <select {...aria("status", errors.status)} name="status" defaultValue={values.status} className={inputClass}>
            <option value="">Any status</option>
            {INVOICE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled id="currency" label="Currency" error={errors.currency}>
          <select {...aria("currency", errors.currency)} name="currency" defaultValue={values.currency.toUpperCase()} className={inputClass}>
            <option value="">Any currency</option>
            <optgroup label="Priced in">
              {FIAT_CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </optgroup>
            <optgroup label="Paid with">
              {CRYPTO_CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </optgroup>
          </select>
        </Labelled>
        <Labelled id="from" label="Created from" error={errors.from}>
          <input {...aria("from", errors.from)} name="from" type="date" defaultValue={values.from} className={`${inputClass} dark:[color-scheme:dark]`} />
        </Labelled>
        <Labelled id="to" label="Created to" error={errors.to}>
          <input {...aria("to", errors.to)} name="to" type="date" defaultValue={values.to} className={`${inputClass} dark:[color-scheme:dark]`} />
        </Labelled>
        <Labelled id="customer" label="Customer" error={errors.customer} className="col-span-2">
          <input
            {...aria("customer", errors.customer)}
            name="customer"
            type="text"
            inputMode="email"
            defaultValue={values.customer}
            maxLength={254}
            placeholder="Email or customer id"
            className={inputClass}
          />
        </Labelled>
        <Labelled id="sort" label="Sort by" error={errors.sort}>
          <select {...aria("sort", errors.sort)} name="sort" defaultValue={values.sort || "created"} className={inputClass}>
            <option value="created">Created</option>
            <option value="total">Total</option>
            <option value="status">Status</option>
          </select>
        </Labelled>
        <Labelled id="dir" label="Order" error={errors.dir}>
          <select {...aria("dir", errors.dir)} name="dir" defaultValue={values.dir || "desc"} className={inputClass}>
            <option value="desc">Descending</option>
            <option value="asc">Ascending</option>
          </select>
        </Labelled>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={primaryButtonClass}>
          Apply
        </button>
        <Link href={mode === "test" ? "/merchant/invoices?mode=test" : "/merchant/invoices"} className={secondaryButtonClass}>
          Reset
        </Link>
      </div>
    </form>
  );
}
