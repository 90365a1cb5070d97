"use client";

import { useEffect, useRef, useState } from "react";

type LoggedEvent = { id: number; type: string; detail: string; at: string };

const EVENTS = ["crypto-checkout:paid", "crypto-checkout:closed"] as const;

/** Shows the events public/embed.js dispatches, as a merchant's page would receive them. */
export function EmbedEventLog() {
  const [events, setEvents] = useState<LoggedEvent[]>([]);
  const nextId = useRef(0);

  useEffect(() => {
    const onEvent = (event: Event) => {
      const detail = (event as CustomEvent<unknown>).detail;
      const entry = {
        id: nextId.current++,
        type: event.type,
        detail: JSON.stringify(detail ?? {}),
        at: new Date().toLocaleTimeString(),
      };
      setEvents((prev) => [entry, ...prev].slice(0, 8));
    };
    for (const name of EVENTS) document.addEventListener(name, onEvent);
    return () => {
      for (const name of EVENTS) document.removeEventListener(name, onEvent);
    };
  }, []);

  return (
    <div role="log" aria-live="polite" aria-label="Checkout events" className="min-h-24 space-y-2">
      {events.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          No events yet. Open the checkout, then close it or pay: each event appears here.
        </p>
      ) : (
        events.map((e) => (
          <div key={e.id} className="rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800">
            <div className="flex items-center justify-between gap-3">
              <code
                className={`font-mono text-xs font-semibold ${
                  e.type.endsWith(":paid") ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-700 dark:text-zinc-300"
                }`}
              >
                {e.type}
              </code>
              <span className="shrink-0 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">{e.at}</span>
            </div>
            <code className="mt-1 block font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{e.detail}</code>
          </div>
        ))
      )}
    </div>
  );
}
