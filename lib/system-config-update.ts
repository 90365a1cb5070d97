import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { systemConfiguration, type ProviderConfig } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/domain";
import type { AdminRequestContext } from "@/lib/merchants/admin-commands";
import { DEFAULT_SYSTEM_CONFIG, invalidateSystemConfig, systemConfigFromRow, type SystemConfig } from "@/lib/system-config";
import { redactSection, validateSection, type SystemConfigSection } from "@/lib/system-config-input";

/**
 * Changes one section of the SystemConfiguration: in one transaction it locks the row, computes the
 * new section from the current one, validates the whole section, saves it, and audits the section's
 * before and after (URLs redacted). After the commit this process drops its cached copy, so the
 * next request sees the change; other processes see it within SYSTEM_CONFIG_CACHE_MS (5 s).
 */

/** JSON with object keys sorted, so key order alone never counts as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export type UpdateResult<K extends SystemConfigSection> = { changed: boolean; value: SystemConfig[K] };

export async function updateSystemConfigSection<K extends SystemConfigSection>(
  db: Db,
  section: K,
  change: (current: SystemConfig[K]) => SystemConfig[K],
  actor: AdminRequestContext,
  now = new Date(),
): Promise<UpdateResult<K>> {
  const result = await db.transaction(async (tx) => {
    let [row] = await tx.select().from(systemConfiguration).limit(1).for("update");
    if (!row) [row] = await tx.insert(systemConfiguration).values({ ...DEFAULT_SYSTEM_CONFIG }).returning();
    const before = systemConfigFromRow(row!)[section];
    const after = validateSection(section, change(structuredClone(before)));
    if (canonical(before) === canonical(after)) return { changed: false, value: before };
    await tx
      .update(systemConfiguration)
      .set({ [section]: after, updatedAt: now })
      .where(eq(systemConfiguration.id, row!.id));
    await recordAudit(
      tx,
      { merchantId: null, event: "system_config.updated", data: { section, before: redactSection(section, before), after: redactSection(section, after) }, at: now },
      { actor: { type: "admin", id: actor.adminId }, ipAddress: actor.ipAddress, userAgent: actor.userAgent },
    );
    return { changed: true, value: after };
  });
  if (result.changed) invalidateSystemConfig(db);
  return result;
}

/** Providers in the order they are tried: by priority, ties in list order. */
export function orderedProviders(providers: ProviderConfig[]): ProviderConfig[] {
  return providers
    .map((p, index) => ({ p, index }))
    .sort((a, b) => (a.p.priority ?? Infinity) - (b.p.priority ?? Infinity) || a.index - b.index)
    .map(({ p }) => p);
}

function findProvider(providers: ProviderConfig[], id: string): number {
  const index = providers.findIndex((p) => p.id === id);
  if (index < 0) throw new DomainError("system_config.unknown_provider", `No provider "${id.slice(0, 40)}" is configured.`, { field: "exchangeRateProviders" });
  return index;
}

export function toggleProvider(providers: ProviderConfig[], id: string, enabled: boolean): ProviderConfig[] {
  const list = orderedProviders(providers);
  const index = findProvider(list, id);
  list[index] = { ...list[index]!, enabled };
  return list;
}

/** Swaps the provider with its neighbour and renumbers priorities 1..n in the new order. */
export function moveProvider(providers: ProviderConfig[], id: string, direction: "up" | "down"): ProviderConfig[] {
  const list = orderedProviders(providers);
  const index = findProvider(list, id);
  const target = direction === "up" ? index - 1 : index + 1;
  if (target >= 0 && target < list.length) [list[index], list[target]] = [list[target]!, list[index]!];
  return list.map((p, i) => ({ ...p, priority: i + 1 }));
}
