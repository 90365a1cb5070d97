import Link from "next/link";

export default function MerchantAuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <Link href="/merchant" className="mx-auto mb-6 flex w-fit items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-emerald-600 text-white">C</span>
          Checkout for merchants
        </Link>
        {children}
      </div>
    </main>
  );
}
