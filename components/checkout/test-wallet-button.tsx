"use client";

import { useState } from "react";

type State = { kind: "idle" } | { kind: "sending" } | { kind: "sent"; txHash: string } | { kind: "error"; message: string };

/**
 * Test mode on the local dev chain only: pays the invoice from the dev chain's funded wallet with a
 * real transaction, so the whole flow (watcher, confirmations, paid) can be tried without a wallet.
 */
export function TestWalletButton({ invoiceId, amountLabel, onSent }: { invoiceId: string; amountLabel: string; onSent: () => void }) {
  const [state, setState] = useState<State>({ kind: "idle" });

  async function pay() {
    setState({ kind: "sending" });
    try {
      const res = await fetch(`/api/pay/${invoiceId}/test-wallet`, { method: "POST" });
      const body = (await res.json().catch(() => null)) as { txHash?: string; error?: { message?: string } } | null;
      if (!res.ok || !body?.txHash) {
        setState({ kind: "error", message: body?.error?.message ?? `The test wallet could not pay (HTTP ${res.status})` });
        return;
      }
      setState({ kind: "sent", txHash: body.txHash });
      onSent();
    } catch {
      setState({ kind: "error", message: "The test wallet could not be reached; try again" });
    }
  }

  return (
    <div className="rounded-lg border border-dashed border-amber-300 p-3 dark:border-amber-800">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Local test chain: pay {amountLabel} from a funded test wallet.</p>
        <button
          type="button"
          onClick={pay}
          disabled={state.kind === "sending" || state.kind === "sent"}
          className="rounded-lg bg-amber-500 px-3 py-2 text-sm font-semibold text-zinc-950 hover:bg-amber-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-600 disabled:cursor-not-allowed disabled:opacity-60"
        >
          {state.kind === "sending" ? "Sending…" : state.kind === "sent" ? "Sent" : "Pay with test wallet"}
        </button>
      </div>
      <p role="status" className="mt-2 text-xs break-all text-zinc-600 empty:hidden dark:text-zinc-400">
        {state.kind === "sent" ? `Transaction ${state.txHash} sent; waiting for the block…` : ""}
        {state.kind === "error" ? <span className="text-red-700 dark:text-red-400">{state.message}</span> : null}
      </p>
    </div>
  );
}
