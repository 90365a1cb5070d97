import { variablesFor, type NotificationEvent } from "./catalog";

/**
 * Templates are plain text with {{variable}} placeholders. The subject and the text body are
 * filled in as they are; the HTML body is built from the same text with the static text and
 * every value escaped, so neither a merchant's template nor a customer-supplied value (an email,
 * a reference) can inject markup. Pure: the browser's live preview runs this too.
 */

export type TemplateValues = Readonly<Record<string, string>>;
export type TemplateFields = { subject: string; body: string };
export type TemplateErrors = Partial<Record<keyof TemplateFields, string>>;

export const SUBJECT_MAX = 255;
export const BODY_MAX = 20_000;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAME = /^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/;
const FIELD_LABEL: Record<keyof TemplateFields, string> = { subject: "subject", body: "body" };

/** The variable names a template text refers to, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return Array.from(new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]!.trim())));
}

/** The first problem with one field's placeholders, as a sentence naming the field, or null. */
function placeholderProblem(field: keyof TemplateFields, text: string, allowed: ReadonlySet<string>): string | null {
  const label = FIELD_LABEL[field];
  for (const name of placeholdersIn(text)) {
    if (!NAME.test(name)) return `The ${label} has “{{${name}}}”, which is not a variable name: use names such as {{invoice.id}}.`;
    if (!allowed.has(name)) return `The ${label} uses the unknown variable {{${name}}}. Pick one from the list of variables.`;
  }
  if (text.replace(PLACEHOLDER, "").includes("{{")) return `The ${label} has a “{{” without its closing “}}”.`;
  return null;
}

/** Why this subject and body cannot be saved for this event, field by field; {} when they can. */
export function validateTemplate(event: NotificationEvent, fields: TemplateFields): TemplateErrors {
  const allowed = new Set(variablesFor(event).map((v) => v.name));
  const errors: TemplateErrors = {};
  const subject = fields.subject.trim();
  if (subject.length === 0) errors.subject = "Enter a subject.";
  else if (subject.length > SUBJECT_MAX) errors.subject = `Keep the subject under ${SUBJECT_MAX} characters.`;
  else if (/[\u0000-\u001f\u007f]/.test(subject)) errors.subject = "The subject must be one line, without control characters.";
  else errors.subject = placeholderProblem("subject", subject, allowed) ?? undefined;
  const body = fields.body;
  if (body.trim().length === 0) errors.body = "Enter the message body.";
  else if (body.length > BODY_MAX) errors.body = `Keep the body under ${BODY_MAX.toLocaleString("en-US")} characters.`;
  else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(body)) errors.body = "Remove the control characters from the body.";
  else errors.body = placeholderProblem("body", body, allowed) ?? undefined;
  if (!errors.subject) delete errors.subject;
  if (!errors.body) delete errors.body;
  return errors;
}

/** Replaces each placeholder with its value (a variable without one reads as empty). */
function fill(text: string, values: TemplateValues, transform: (value: string) => string): string {
  return text.replace(PLACEHOLDER, (_m, raw: string) => transform(values[raw.trim()] ?? ""));
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** One line, at most SUBJECT_MAX characters: a value with a line break must not start a header. */
export function renderSubject(subject: string, values: TemplateValues): string {
  const line = fill(subject, values, (v) => v).replace(/\s+/g, " ").trim();
  return line.length > SUBJECT_MAX ? `${line.slice(0, SUBJECT_MAX - 1)}…` : line;
}

export function renderText(body: string, values: TemplateValues): string {
  return fill(body.replace(/\r\n?/g, "\n"), values, (v) => v).trim();
}

/** http(s) links in already-escaped text; trailing punctuation stays outside the link. */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<]+/g, (url) => {
    const trail = /[.,;:!?)]+$/.exec(url)?.[0] ?? "";
    const href = url.slice(0, url.length - trail.length);
    return `<a href="${href}" style="color: #4f46e5">${href}</a>${trail}`;
  });
}

/**
 * The HTML body: every piece escaped (template text and values alike), paragraphs at blank lines,
 * line breaks kept, links made clickable.
 */
export function renderHtml(body: string, values: TemplateValues): string {
  const escaped = fill(escapeHtml(body.replace(/\r\n?/g, "\n")), values, escapeHtml).trim();
  const paragraphs = escaped
    .split(/\n{2,}/)
    .map((p) => `<p style="margin: 0 0 16px">${linkify(p).replace(/\n/g, "<br>\n")}</p>`)
    .join("\n");
  return `<!doctype html>
<html><body style="font-family: system-ui, -apple-system, sans-serif; color: #18181b; line-height: 1.5; max-width: 600px">
${paragraphs}
</body></html>`;
}

export type RenderedMessage = { subject: string; text: string; html: string };

export function renderMessage(template: TemplateFields, values: TemplateValues): RenderedMessage {
  return { subject: renderSubject(template.subject, values), text: renderText(template.body, values), html: renderHtml(template.body, values) };
}
