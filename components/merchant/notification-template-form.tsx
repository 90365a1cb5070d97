"use client";

import { useActionState, useRef, useState } from "react";
import { Field, FormAlert, primaryButtonClass, secondaryButtonClass, TextAreaField } from "@/components/ui/form";
import type { NotificationEvent, NotificationRecipient, VariableSpec } from "@/lib/notifications/catalog";
import { renderMessage, validateTemplate, type TemplateErrors, type TemplateFields } from "@/lib/notifications/render";

export type TemplateFormState = {
  error?: string;
  success?: string;
  fieldErrors?: TemplateErrors;
  /** What was submitted, so an error is shown only while the field still holds that text. */
  values?: TemplateFields;
  /** The stored template after a save or reset; a new `at` restarts the editor from it. */
  saved?: TemplateFields & { at: number };
};

type Props = {
  action: (state: TemplateFormState, formData: FormData) => Promise<TemplateFormState>;
  eventType: NotificationEvent;
  recipient: NotificationRecipient;
  subject: string;
  body: string;
  variables: VariableSpec[];
  /** Sample values of the variables, for the preview. */
  sample: Record<string, string>;
};

const sameText = (a: string, b: string) => a.replace(/\r\n?/g, "\n") === b.replace(/\r\n?/g, "\n");

export function NotificationTemplateForm(props: Props) {
  const [state, formAction, pending] = useActionState(props.action, {});
  const initial = state.saved ?? { subject: props.subject, body: props.body };
  return <Editor key={state.saved?.at ?? 0} {...props} initial={initial} state={state} formAction={formAction} pending={pending} />;
}

function Editor({
  eventType,
  recipient,
  variables,
  sample,
  initial,
  state,
  formAction,
  pending,
}: Props & { initial: TemplateFields; state: TemplateFormState; formAction: (formData: FormData) => void; pending: boolean }) {
  const [fields, setFields] = useState<TemplateFields>(initial);
  const lastFocused = useRef<"subject" | "body">("body");
  const formRef = useRef<HTMLFormElement>(null);

  const live = validateTemplate(eventType, fields);
  const preview = Object.keys(live).length === 0 ? renderMessage(fields, sample) : null;
  // A server error stays next to its field until that field is edited (a submitted textarea has CRLF line ends).
  const errorOf = (field: keyof TemplateFields) =>
    state.values && sameText(state.values[field], fields[field]) ? state.fieldErrors?.[field] : undefined;

  function insert(name: string) {
    const field = lastFocused.current;
    const element = formRef.current?.elements.namedItem(field) as HTMLInputElement | HTMLTextAreaElement | null;
    const token = `{{${name}}}`;
    const value = fields[field];
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    setFields({ ...fields, [field]: value.slice(0, start) + token + value.slice(end) });
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  return (
    <div className="grid items-start gap-6 lg:grid-cols-2">
      <form ref={formRef} action={formAction} noValidate className="min-w-0 space-y-5 lg:col-start-1 lg:row-start-1 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <input type="hidden" name="eventType" value={eventType} />
        <input type="hidden" name="recipient" value={recipient} />
        <FormAlert message={state.error} />
        <FormAlert message={state.success} tone="success" />
        <Field
          name="subject"
          label="Subject"
          maxLength={255}
          value={fields.subject}
          onChange={(e) => setFields({ ...fields, subject: e.target.value })}
          onFocus={() => (lastFocused.current = "subject")}
          error={errorOf("subject")}
        />
        <TextAreaField
          name="body"
          label="Body"
          rows={14}
          value={fields.body}
          onChange={(e) => setFields({ ...fields, body: e.target.value })}
          onFocus={() => (lastFocused.current = "body")}
          error={errorOf("body")}
          hint="Plain text. Blank lines start paragraphs; links become clickable in the HTML version. Values are escaped."
          className="[&_textarea]:font-mono [&_textarea]:text-sm"
        />
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="save" disabled={pending} className={primaryButtonClass}>
            {pending ? "Saving…" : "Save template"}
          </button>
          <button
            type="submit"
            name="intent"
            value="reset"
            disabled={pending}
            className={secondaryButtonClass}
            onClick={(e) => {
              if (!window.confirm("Replace the subject and body with the default?")) e.preventDefault();
            }}
          >
            Reset to default
          </button>
        </div>
      </form>

      <section aria-labelledby="preview-heading" className="min-w-0 space-y-3 lg:sticky lg:top-4 lg:col-start-2 lg:row-span-2 lg:row-start-1">
        <div className="flex items-baseline justify-between gap-2">
          <h2 id="preview-heading" className="font-semibold">Preview</h2>
          <span className="text-xs text-zinc-500 dark:text-zinc-400">with sample data</span>
        </div>
        {preview ? (
          <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            <p className="border-b border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
              <span className="text-zinc-500 dark:text-zinc-400">Subject: </span>
              <span className="font-medium" data-testid="preview-subject">{preview.subject}</span>
            </p>
            {/* The message as mail clients show it: its own document, no scripts. */}
            <iframe title="Email preview" sandbox="" srcDoc={preview.html} className="h-96 w-full bg-white" />
            <details className="border-t border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
              <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Plain-text version</summary>
              <pre className="mt-2 whitespace-pre-wrap break-words font-sans text-sm" data-testid="preview-text">{preview.text}</pre>
            </details>
          </div>
        ) : (
          <div role="status" className="rounded-xl border border-dashed border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200" data-testid="preview-problem">
            <p className="font-medium">No preview until this is fixed:</p>
            <ul className="mt-1 list-disc pl-5">
              {Object.values(live).map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <section aria-labelledby="variables-heading" className="min-w-0 rounded-xl border border-zinc-200 bg-white p-5 lg:col-start-1 lg:row-start-2 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="variables-heading" className="font-semibold">Variables</h2>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Click one to insert it where the cursor is. Other names are refused when you save.</p>
        <ul className="mt-3 grid gap-1.5 sm:grid-cols-2" data-testid="variable-list">
          {variables.map((v) => (
            <li key={v.name}>
              <button
                type="button"
                onClick={() => insert(v.name)}
                className="w-full rounded-lg border border-zinc-200 px-2.5 py-1.5 text-left hover:border-indigo-300 hover:bg-indigo-50 dark:border-zinc-800 dark:hover:border-indigo-800 dark:hover:bg-indigo-950"
              >
                <code className="block break-all text-xs font-medium text-indigo-700 dark:text-indigo-300">{`{{${v.name}}}`}</code>
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">{v.description}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
