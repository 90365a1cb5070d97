import Link from "next/link";

const LINKS = [
  { href: "/docs/api", label: "API reference" },
  { href: "/docs/embed", label: "Embed" },
  { href: "/merchant", label: "Dashboard" },
] as const;

/** The top bar of the developer docs: brand, section links, and the current section marked. */
export function DocsHeader({ current }: { current: "/docs/api" | "/docs/embed" }) {
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-3 px-4 sm:px-6">
        <Link href="/docs/api" className="flex min-w-0 items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="grid size-7 shrink-0 place-items-center rounded-lg bg-emerald-600 text-sm text-white">
            C
          </span>
          <span className="hidden truncate sm:inline">Crypto Checkout</span>
          <span className="rounded-md bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
            Docs
          </span>
        </Link>
        <nav aria-label="Documentation" className="-mr-2 flex min-w-0 items-center gap-0.5 overflow-x-auto text-sm">
          {LINKS.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              aria-current={link.href === current ? "page" : undefined}
              className={`shrink-0 rounded-lg px-2.5 py-1.5 font-medium ${
                link.href === current
                  ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"
                  : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
              }`}
            >
              {link.label}
            </Link>
          ))}
        </nav>
      </div>
    </header>
  );
}
