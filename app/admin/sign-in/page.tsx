import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/admin/sign-in-form";
import { currentAdmin } from "@/lib/auth/current-admin";
import { settings } from "@/lib/config";
import { signInAction } from "./actions";

export const metadata: Metadata = { title: "Admin sign-in", robots: { index: false } };

export default async function AdminSignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/admin";
  if (await currentAdmin()) redirect(target);

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <Link href="/" className="mx-auto mb-6 flex w-fit items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-indigo-600 text-white">B</span>
          {settings().STORE_NAME}
        </Link>
        <div className="rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-xl font-semibold tracking-tight">Sign in to the admin</h1>
          <p className="mt-1 mb-6 text-sm text-zinc-600 dark:text-zinc-400">For store administrators only.</p>
          <SignInForm action={signInAction} callbackUrl={target} />
        </div>
      </div>
    </main>
  );
}
