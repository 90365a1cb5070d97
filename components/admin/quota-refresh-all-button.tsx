"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { refreshAllQuotasAction } from "@/app/admin/(protected)/quotas/actions";
import { primaryButtonClass } from "@/components/ui/form";

/** Starts a bulk refresh of every unsold account; the run's progress shows on the page. */
export function QuotaRefreshAllButton({ disabled = false }: { disabled?: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const start = () =>
    startTransition(async () => {
      try {
        const result = await refreshAllQuotasAction();
        setMessage({ text: result.message, error: false });
        router.refresh();
      } catch {
        setMessage({ text: "The refresh could not be started. Try again.", error: true });
      }
    });
  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <button type="button" onClick={start} disabled={pending || disabled} data-testid="quota-refresh-all" className={primaryButtonClass}>
        {pending ? "Starting…" : "Refresh all accounts"}
      </button>
      {message && (
        <p role={message.error ? "alert" : "status"} className={`text-sm ${message.error ? "text-rose-700 dark:text-rose-300" : "text-zinc-600 dark:text-zinc-400"}`}>
          {message.text}
        </p>
      )}
    </div>
  );
}
