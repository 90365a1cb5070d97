"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

export type SectionNavItem = { href: string; label: string };

/**
 * A dashboard's tab row: the current section is underlined and marked aria-current. The first item
 * is the section root, current only on its own path; the others also on the pages below them.
 */
export function SectionNav({ label, items, className, children }: { label: string; items: SectionNavItem[]; className?: string; children?: React.ReactNode }) {
  const pathname = usePathname();
  const root = items[0]?.href;
  const current = useRef<HTMLAnchorElement>(null);
  // On a narrow screen the row scrolls: bring the current tab into view.
  useEffect(() => {
    const link = current.current;
    const nav = link?.parentElement;
    if (link && nav && nav.scrollWidth > nav.clientWidth) nav.scrollLeft = link.offsetLeft - nav.offsetLeft - (nav.clientWidth - link.offsetWidth) / 2;
  }, [pathname]);
  return (
    <nav aria-label={label} className={`flex gap-1 overflow-x-auto ${className ?? ""}`}>
      {items.map((item) => {
        const active = item.href === root ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            ref={active ? current : undefined}
            aria-current={active ? "page" : undefined}
            className={`shrink-0 border-b-2 px-3 py-2.5 text-sm font-medium ${
              active
                ? "border-indigo-600 text-zinc-900 dark:border-indigo-400 dark:text-zinc-100"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {item.label}
          </Link>
        );
      })}
      {children}
    </nav>
  );
}
