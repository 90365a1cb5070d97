"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { refreshAccountQuotasAction, type QuotaRefreshActionResult } from "@/app/admin/(protected)/quotas/actions";
import { secondaryButtonClass } from "@/components/ui/form";

const LEVEL_LABEL = { HIGH: "High", MEDIUM: "Medium", LOW: "Low" } as const;

function Outcome({ result }: { result: QuotaRefreshActionResult }) {
  if (!result.ok) {
    return (
      <p role="alert" data-testid="quota-refresh-error" className="text-sm text-rose-700 dark:text-rose-300">
        {result.message}
      </p>
    );
  }
  return (
    <p role="status" data-testid="quota-refresh-result" className="text-sm text-zinc-700 dark:text-zinc-300">
      Updated: {LEVEL_LABEL[result.quotaLevel]} quota, {result.usableModelCount} of {result.modelCount} models usable, suggested price {result.suggestedPrice}.
      {result.needsReview && <span className="font-medium text-amber-700 dark:text-amber-300"> All quotas read zero: flagged for review.</span>}
    </p>
  );
}

/** Refreshes one account's Bedrock quotas now and shows what came back (or why it failed). */
export function QuotaRefreshButton({ accountId, label = "Refresh quotas" }: { accountId: string; label?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<QuotaRefreshActionResult | null>(null);
  const refresh = () =>
    startTransition(async () => {
      try {
        setResult(await refreshAccountQuotasAction(accountId));
        router.refresh();
      } catch {
        setResult({ ok: false, code: "request_failed", message: "The refresh could not be sent. Check the connection and try again.", failedAt: null });
      }
    });
  return (
    <div className="flex flex-col items-start gap-2">
      <button type="button" onClick={refresh} disabled={pending} aria-busy={pending} data-testid="quota-refresh-button" className={secondaryButtonClass}>
        {pending ? "Refreshing…" : label}
      </button>
      {result && !pending && <Outcome result={result} />}
    </div>
  );
}
