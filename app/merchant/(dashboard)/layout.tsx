import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { MerchantNav } from "@/components/merchant/nav";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { merchantSignOutAction } from "./actions";

export default async function MerchantDashboardLayout({ children }: { children: React.ReactNode }) {
  const merchant = await requireMerchant("/merchant");
  return (
    <div className="min-h-dvh">
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-3 px-4 sm:px-6">
          <Link href="/merchant" className="flex min-w-0 items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden className="grid size-7 shrink-0 place-items-center rounded-lg bg-emerald-600 text-sm text-white">C</span>
            <span className="truncate" data-testid="merchant-name">{merchant.businessName}</span>
          </Link>
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden sm:inline-flex">
              <Badge tone={merchant.status === "active" ? "green" : merchant.status === "pending_verification" ? "amber" : "red"}>
                {merchant.status.replace("_", " ")}
              </Badge>
            </span>
            <form action={merchantSignOutAction}>
              <button type="submit" className="whitespace-nowrap rounded-lg border border-zinc-300 px-3 py-1.5 font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
                Sign out
              </button>
            </form>
          </div>
        </div>
        <MerchantNav />
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
