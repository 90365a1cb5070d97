import Link from "next/link";

export function SiteHeader({ storeName, telegramUrl }: { storeName: string; telegramUrl: string }) {
  return (
    <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/85 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/85">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="grid size-7 place-items-center rounded-lg bg-indigo-600 text-sm text-white">B</span>
          <span className="truncate">{storeName}</span>
        </Link>
        <nav className="flex items-center gap-1 text-sm">
          <a href={telegramUrl} target="_blank" rel="noopener noreferrer" className="inline-flex h-10 items-center px-2 text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
            Contact
          </a>
          <Link href="/admin" className="inline-flex h-10 items-center px-2 text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
            Admin
          </Link>
        </nav>
      </div>
    </header>
  );
}
