const TONES: Record<string, string> = {
  GET: "bg-sky-50 text-sky-700 ring-sky-200 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-900",
  POST: "bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-900",
  PUT: "bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-900",
  PATCH: "bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-900",
  DELETE: "bg-rose-50 text-rose-700 ring-rose-200 dark:bg-rose-950 dark:text-rose-300 dark:ring-rose-900",
};

/** The HTTP method as a small monospace pill, colour-coded (GET sky, POST emerald, DELETE rose). */
export function MethodBadge({ method, size = "md" }: { method: string; size?: "sm" | "md" }) {
  return (
    <span
      className={`inline-flex shrink-0 items-center justify-center rounded-md font-mono font-semibold ring-1 ring-inset ${
        size === "sm" ? "w-11 px-1 py-px text-[10px]" : "px-2 py-0.5 text-xs"
      } ${TONES[method] ?? TONES.GET}`}
    >
      {method}
    </span>
  );
}
