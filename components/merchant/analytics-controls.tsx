import Link from "next/link";
import { ANALYTICS_PERIOD_LABELS, ANALYTICS_PERIODS, analyticsHref, type AnalyticsMode, type AnalyticsPeriod } from "@/lib/analytics/periods";

function Segmented<T extends string>({ label, options, current, href, text }: {
  label: string;
  options: readonly T[];
  current: T;
  href: (value: T) => string;
  text: (value: T) => string;
}) {
  return (
    <nav aria-label={label} className="inline-flex max-w-full overflow-x-auto rounded-lg border border-zinc-300 bg-white p-0.5 text-sm dark:border-zinc-700 dark:bg-zinc-900">
      {options.map((value) => {
        const active = value === current;
        return (
          <Link
            key={value}
            href={href(value)}
            aria-current={active ? "page" : undefined}
            className={`inline-flex min-h-9 shrink-0 items-center whitespace-nowrap rounded-md px-3 font-medium ${
              active
                ? "bg-indigo-600 text-white dark:bg-indigo-500"
                : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
            }`}
          >
            {text(value)}
          </Link>
        );
      })}
    </nav>
  );
}

/** Period and mode pickers: plain links that keep both choices in the URL. */
export function AnalyticsControls({ period, mode }: { period: AnalyticsPeriod; mode: AnalyticsMode }) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Segmented
        label="Period"
        options={ANALYTICS_PERIODS}
        current={period}
        href={(p) => analyticsHref({ period: p, mode })}
        text={(p) => ANALYTICS_PERIOD_LABELS[p].short}
      />
      <Segmented
        label="Mode"
        options={["live", "test"] as const}
        current={mode}
        href={(m) => analyticsHref({ period, mode: m })}
        text={(m) => (m === "live" ? "Live" : "Test")}
      />
    </div>
  );
}
