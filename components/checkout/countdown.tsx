"use client";

import { useEffect, useRef, useState } from "react";

const AMBER_BELOW_MS = 5 * 60_000;
const RED_BELOW_MS = 60_000;

/** "9:05" → "09:05"; over an hour "1:02:03". `ms` is rounded up to whole seconds. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

function parseTime(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Time left until `expiresAt`, measured on the server's clock: the offset between `serverNow` and
 * the client clock is taken once, on mount, so a wrong client clock does not shorten or extend it.
 * The first render uses `serverNow` itself, so server and client render the same text (no
 * hydration mismatch). At zero it shows "Expired" and calls `onExpire` once.
 */
export function Countdown({
  expiresAt,
  serverNow,
  onExpire,
  className = "",
}: {
  expiresAt: string;
  serverNow: string;
  onExpire?: () => void;
  className?: string;
}) {
  const serverNowMs = parseTime(serverNow);
  const expiresAtMs = parseTime(expiresAt);
  // Current time on the server's clock, advanced every second.
  const [now, setNow] = useState(serverNowMs);
  const offset = useRef<number | null>(null);
  const remaining = expiresAtMs - now;
  const expired = remaining <= 0;

  useEffect(() => {
    if (offset.current === null) offset.current = serverNowMs - Date.now();
    const skew = offset.current;
    const tick = () => setNow(Date.now() + skew);
    const id = setInterval(tick, 1000);
    // Re-sync at once (also after the tab was in the background, when intervals are throttled).
    const sync = () => {
      if (document.visibilityState === "visible") tick();
    };
    document.addEventListener("visibilitychange", sync);
    return () => {
      clearInterval(id);
      document.removeEventListener("visibilitychange", sync);
    };
  }, [serverNowMs]);

  const onExpireRef = useRef(onExpire);
  useEffect(() => {
    onExpireRef.current = onExpire;
  });
  const firedFor = useRef<number | null>(null);
  useEffect(() => {
    if (expired && firedFor.current !== expiresAtMs) {
      firedFor.current = expiresAtMs;
      onExpireRef.current?.();
    }
  }, [expired, expiresAtMs]);

  const tone = expired || remaining < RED_BELOW_MS
    ? "text-rose-600 dark:text-rose-400"
    : remaining < AMBER_BELOW_MS
      ? "text-amber-600 dark:text-amber-400"
      : "text-zinc-900 dark:text-zinc-100";
  const warning = expired ? "" : remaining < RED_BELOW_MS ? "Less than 1 minute left to pay" : remaining < AMBER_BELOW_MS ? "Less than 5 minutes left to pay" : "";

  return (
    <>
      <span
        role="timer"
        data-tone={expired ? "expired" : remaining < RED_BELOW_MS ? "red" : remaining < AMBER_BELOW_MS ? "amber" : "normal"}
        className={`font-mono font-semibold tabular-nums ${tone} ${className}`}
      >
        {expired ? "Expired" : formatRemaining(remaining)}
      </span>
      {/* The timer itself is not live (it would talk every second); announce only the thresholds. */}
      <span aria-live="polite" className="sr-only">
        {warning}
      </span>
    </>
  );
}
