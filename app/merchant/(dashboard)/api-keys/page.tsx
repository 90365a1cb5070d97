import type { Metadata } from "next";
import { getDb } from "@/db";
import { ApiKeyForm } from "@/components/merchant/api-key-form";
import { Badge } from "@/components/ui/badge";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { PLAN_LIMITS } from "@/lib/domain";
import { listApiKeys } from "@/lib/merchants/api-keys";
import { createApiKeyAction, revokeApiKeyAction } from "../actions";

export const metadata: Metadata = { title: "API keys" };

const date = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "—");

export default async function ApiKeysPage() {
  const merchant = await requireMerchant("/merchant/api-keys");
  const keys = await listApiKeys(await getDb(), merchant.id);
  const limits = PLAN_LIMITS[merchant.planType];
  const active = keys.filter((k) => k.status === "active").length;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {active} of {limits.apiKeys ?? "unlimited"} active keys on the {merchant.planType} plan. Keys are shown once and
          stored only as a hash.
        </p>
      </div>
      <section className="rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="font-semibold">Create a key</h2>
        <ApiKeyForm action={createApiKeyAction} permissions={[...limits.permissions]} />
      </section>
      <section aria-labelledby="keys">
        <h2 id="keys" className="font-semibold">Your keys</h2>
        {keys.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No keys yet.
          </p>
        ) : (
          <ul className="mt-3 divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="api-key-list">
            {keys.map((key) => (
              <li key={key.id} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3 text-sm">
                <div className="min-w-0 space-y-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{key.name ?? "Unnamed key"}</span>
                    <Badge tone={key.keyType === "live" ? "indigo" : "amber"}>{key.keyType}</Badge>
                    <Badge tone={key.status === "active" ? "green" : "neutral"}>{key.status}</Badge>
                  </div>
                  <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{key.keyPrefix}…</p>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">
                    {key.permissions.join(", ")} · created {date(key.createdAt)} · last used {date(key.lastUsedAt)} · expires {date(key.expiresAt)}
                  </p>
                </div>
                {key.status === "active" && (
                  <form action={revokeApiKeyAction}>
                    <input type="hidden" name="apiKeyId" value={key.id} />
                    <button type="submit" className="min-h-10 rounded-lg border border-rose-300 px-3 py-1.5 font-medium text-rose-700 hover:bg-rose-50 dark:border-rose-800 dark:text-rose-300 dark:hover:bg-rose-950">
                      Revoke
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
