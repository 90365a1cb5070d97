"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While a bulk refresh runs, re-renders the page every few seconds so its progress moves. */
export function QuotaAutoRefresh({ active, intervalMs = 2_000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return null;
}
