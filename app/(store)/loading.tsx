export default function Loading() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-14 sm:px-6" aria-busy="true" aria-label="Loading accounts">
      <div className="h-8 w-2/3 max-w-md animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-56 animate-pulse rounded-2xl bg-zinc-200/70 dark:bg-zinc-800/70" />
        ))}
      </div>
    </main>
  );
}
