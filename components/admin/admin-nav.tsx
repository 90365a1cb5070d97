import Link from "next/link";
import { SectionNav } from "@/components/ui/section-nav";

const ITEMS = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/accounts", label: "Accounts" },
  { href: "/admin/orders", label: "Orders" },
  { href: "/admin/quotas", label: "Quotas" },
  { href: "/admin/merchants", label: "Merchants" },
  { href: "/admin/activity", label: "Activity" },
  { href: "/admin/settings", label: "Settings" },
];

export function AdminNav() {
  return (
    <SectionNav label="Admin" items={ITEMS} className="-mx-3 -mb-px">
      <Link href="/" className="shrink-0 px-3 py-2.5 text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
        Storefront ↗
      </Link>
    </SectionNav>
  );
}
