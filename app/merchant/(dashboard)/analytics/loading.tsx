/** Placeholder while the report is computed: the page's shape, so nothing jumps when it arrives. */
export default function AnalyticsLoading() {
  const block = "animate-pulse rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900";
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading analytics">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Analytics</h1>
        <div className="mt-2 h-4 w-64 max-w-full animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      </div>
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className={`${block} h-28`} />
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <div className={`${block} h-72`} />
        <div className={`${block} h-72`} />
      </div>
    </div>
  );
}
