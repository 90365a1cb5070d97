"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  { href: "/merchant", label: "Overview" },
  { href: "/merchant/api-keys", label: "API keys" },
  { href: "/merchant/wallets", label: "Wallets" },
  { href: "/merchant/payment-links", label: "Payment links" },
  { href: "/docs/api", label: "API docs" },
];

export function MerchantNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Merchant" className="mx-auto flex max-w-6xl gap-1 overflow-x-auto px-2 sm:px-4">
      {ITEMS.map((item) => {
        const active = item.href === "/merchant" ? pathname === item.href : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
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
    </nav>
  );
}
