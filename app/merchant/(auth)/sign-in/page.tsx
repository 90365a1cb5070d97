import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { MerchantAuthForm } from "@/components/merchant/auth-form";
import { currentMerchant } from "@/lib/auth/current-merchant";
import { merchantSignInAction } from "../actions";

export const metadata: Metadata = { title: "Merchant sign-in", robots: { index: false } };

export default async function MerchantSignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const target = callbackUrl?.startsWith("/merchant") ? callbackUrl : "/merchant";
  if (await currentMerchant()) redirect(target);
  return (
    <>
      <div className="rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-xl font-semibold tracking-tight">Sign in</h1>
        <p className="mt-1 mb-6 text-sm text-zinc-600 dark:text-zinc-400">Manage invoices, API keys and wallets.</p>
        <MerchantAuthForm mode="sign-in" action={merchantSignInAction} callbackUrl={target} />
      </div>
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        New here?{" "}
        <Link href="/merchant/sign-up" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Create a merchant account
        </Link>
      </p>
    </>
  );
}
