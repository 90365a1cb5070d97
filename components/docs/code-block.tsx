import { CopyButton } from "@/components/checkout/copy-button";

/**
 * A titled code block with a copy button. The code scrolls inside itself (overflow-x-auto), so a
 * long curl line never widens the page.
 */
export function CodeBlock({
  code,
  title,
  copyLabel,
  testId,
}: {
  code: string;
  /** Shown in the header bar: "curl", "Response · 201", "HTML". */
  title: string;
  /** Names what the copy button copies: its accessible name is "Copy <copyLabel>". */
  copyLabel: string;
  testId?: string;
}) {
  return (
    <figure className="min-w-0 overflow-hidden rounded-xl border border-zinc-200 dark:border-zinc-800" data-testid={testId}>
      <figcaption className="flex items-center justify-between gap-3 border-b border-zinc-200 bg-white py-1.5 pr-1.5 pl-4 dark:border-zinc-800 dark:bg-zinc-900">
        <span className="truncate text-xs font-medium text-zinc-600 dark:text-zinc-400">{title}</span>
        <CopyButton value={code} label={copyLabel} className="min-h-9" />
      </figcaption>
      <pre className="overflow-x-auto bg-zinc-950 p-4 text-[13px] leading-relaxed text-zinc-100">
        <code className="font-mono">{code}</code>
      </pre>
    </figure>
  );
}
