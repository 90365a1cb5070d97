import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

/** Form building blocks shared by the admin and merchant dashboards: labelled fields with errors. */

export const inputClass =
  "mt-1.5 block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-base shadow-xs sm:text-sm placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-invalid:border-rose-500 aria-invalid:focus:ring-rose-500/30 dark:border-zinc-700 dark:bg-zinc-950";

export const primaryButtonClass =
  "inline-flex min-h-10 items-center justify-center rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-70";

export const secondaryButtonClass =
  "inline-flex min-h-10 items-center justify-center rounded-lg border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800";

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-rose-600 dark:text-rose-400">
      {message}
    </p>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
};

/** Label, hint and error around one control; `control` gets the id and aria wiring. */
function FieldFrame({ fieldId, label, error, hint, className, control }: {
  fieldId: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
  control: (aria: { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined }) => ReactNode;
}) {
  const describedBy = [error ? `${fieldId}-error` : null, hint ? `${fieldId}-hint` : null].filter(Boolean).join(" ");
  return (
    <div className={className}>
      <label htmlFor={fieldId} className="block text-sm font-medium">
        {label}
      </label>
      {control({ id: fieldId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy || undefined })}
      {hint && (
        <p id={`${fieldId}-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      <FieldError id={`${fieldId}-error`} message={error} />
    </div>
  );
}

export function Field({ name, label, error, hint, id, className, ...input }: FieldProps) {
  return (
    <FieldFrame fieldId={id ?? name} label={label} error={error} hint={hint} className={className} control={(aria) => <input {...aria} name={name} className={inputClass} {...input} />} />
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  name: string;
  label: string;
  error?: string;
  options: { value: string; label: string }[];
};

export function SelectField({ name, label, error, options, id, className, ...select }: SelectProps) {
  const fieldId = id ?? name;
  return (
    <div className={className}>
      <label htmlFor={fieldId} className="block text-sm font-medium">
        {label}
      </label>
      <select
        id={fieldId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${fieldId}-error` : undefined}
        className={inputClass}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${fieldId}-error`} message={error} />
    </div>
  );
}

export function FormAlert({ message, tone = "error" }: { message?: string; tone?: "error" | "success" }) {
  if (!message) return null;
  const classes =
    tone === "error"
      ? "border-rose-200 bg-rose-50 text-rose-800 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200"
      : "border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200";
  return (
    <div role={tone === "error" ? "alert" : "status"} data-testid={tone === "error" ? "form-error" : "form-success"} className={`rounded-lg border px-3 py-2 text-sm ${classes}`}>
      {message}
    </div>
  );
}

type TextAreaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
};

export function TextAreaField({ name, label, error, hint, id, className, ...textarea }: TextAreaProps) {
  return (
    <FieldFrame fieldId={id ?? name} label={label} error={error} hint={hint} className={className} control={(aria) => <textarea {...aria} name={name} className={inputClass} {...textarea} />} />
  );
}
