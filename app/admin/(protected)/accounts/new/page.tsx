import type { Metadata } from "next";
import Link from "next/link";
import { AccountForm } from "@/components/admin/account-form";
import { requireAdmin } from "@/lib/auth/current-admin";
import { createAccountAction } from "../actions";

export const metadata: Metadata = { title: "New account · Admin", robots: { index: false } };

export default async function NewAccountPage() {
  await requireAdmin("/admin/accounts/new");
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <Link href="/admin/accounts" className="text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">← Accounts</Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">New account</h1>
      </div>
      <div className="rounded-xl border border-zinc-200 bg-white p-5 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900">
        <AccountForm
          action={createAccountAction}
          mode="create"
          defaults={{ name: "", displayName: "", price: "", priceCurrency: "USD", instructions: "", features: "", limitations: "", regions: "us-east-1" }}
        />
      </div>
    </div>
  );
}
