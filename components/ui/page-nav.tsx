import Link from "next/link";
import { secondaryButtonClass } from "./form";

/** Previous / "Page n of m" / Next under a numbered list; nothing when there is one page. */
export function PageNav({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between text-sm">
      {page > 1 ? <Link className={secondaryButtonClass} href={href(page - 1)}>Previous</Link> : <span />}
      <span className="text-zinc-600 dark:text-zinc-400">Page {Math.min(page, pages)} of {pages}</span>
      {page < pages ? <Link className={secondaryButtonClass} href={href(page + 1)}>Next</Link> : <span />}
    </nav>
  );
}
