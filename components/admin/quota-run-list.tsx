import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatRelativeTime } from "@/lib/format";
import type { QuotaRunRow } from "@/lib/quotas/queries";

function runState(run: QuotaRunRow): { label: string; tone: BadgeTone } {
  if (run.inProgress) return { label: "Running", tone: "sky" };
  if (!run.finishedAt) return { label: "Interrupted", tone: "red" };
  return run.failed > 0 ? { label: `${run.failed} failed`, tone: "amber" } : { label: "Done", tone: "green" };
}

function ProgressBar({ run }: { run: QuotaRunRow }) {
  const done = run.succeeded + run.failed;
  const percent = run.total === 0 ? 100 : Math.round((done / run.total) * 100);
  const okPercent = run.total === 0 ? 100 : (run.succeeded / run.total) * 100;
  return (
    <div
      role="progressbar"
      aria-label={`Accounts refreshed: ${done} of ${run.total}`}
      aria-valuemin={0}
      aria-valuemax={run.total}
      aria-valuenow={done}
      className="flex h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div className="h-full bg-emerald-500 transition-all" style={{ width: `${okPercent}%` }} />
      <div className="h-full bg-rose-500 transition-all" style={{ width: `${Math.max(0, percent - okPercent)}%` }} />
    </div>
  );
}

/** The latest bulk refresh runs, newest first, each with its progress. */
export function QuotaRunList({ runs, now }: { runs: QuotaRunRow[]; now: Date }) {
  if (runs.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
        No bulk refresh has run yet. The cron route or the button above starts one.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="quota-runs">
      {runs.map((run) => {
        const state = runState(run);
        return (
          <li key={run.id} className="space-y-2 px-4 py-3 text-sm" data-testid="quota-run">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="flex items-center gap-2">
                <Badge tone={state.tone}>{state.label}</Badge>
                <span className="font-medium">{run.trigger === "cron" ? "Scheduled" : "Started by an admin"}</span>
              </span>
              <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
                {run.succeeded + run.failed} / {run.total} · {run.succeeded} ok · {run.failed} failed ·{" "}
                <time dateTime={run.startedAt.toISOString()}>{formatRelativeTime(run.startedAt, now)}</time>
              </span>
            </div>
            <ProgressBar run={run} />
          </li>
        );
      })}
    </ul>
  );
}
