import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { MerchantAuthForm } from "@/components/merchant/auth-form";
import { currentMerchant } from "@/lib/auth/current-merchant";
import { merchantSignUpAction } from "../actions";

export const metadata: Metadata = { title: "Create a merchant account" };

export default async function MerchantSignUpPage() {
  if (await currentMerchant()) redirect("/merchant");
  return (
    <>
      <div className="rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-xl font-semibold tracking-tight">Accept crypto payments</h1>
        <p className="mt-1 mb-6 text-sm text-zinc-600 dark:text-zinc-400">
          Free plan, non-custodial: payments go straight to addresses derived from your own keys.
        </p>
        <MerchantAuthForm mode="sign-up" action={merchantSignUpAction} />
      </div>
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href="/merchant/sign-in" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>
      </p>
    </>
  );
}
