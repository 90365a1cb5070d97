// Helpers the benchmark scripts (bench-api.ts, bench-watcher.ts) share.
import { readFileSync } from "node:fs";
import os from "node:os";
import type postgres from "postgres";

/** Nearest-rank percentile of an ascending list; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The machine's busy and total CPU ticks so far (/proc/stat), or null off Linux. */
export function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** A shuffled copy (Fisher–Yates). */
export function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Prints (and returns) the machine a run was measured on: CPU, memory, Node, the PostgreSQL server, the OS. */
export async function logMachine(
  admin: postgres.Sql,
  log: (line: string) => void,
  fmt: (n: number, digits?: number) => string,
): Promise<{ cpu: string; ram: string; node: string; postgres: string; os: string }> {
  const [{ version }] = (await admin`select version()`) as unknown as [{ version: string }];
  const cpus = os.cpus();
  const machine = {
    cpu: `${cpus[0]?.model ?? "unknown"} × ${cpus.length}`,
    ram: `${fmt(os.totalmem() / 1024 ** 3, 1)} GiB`,
    node: process.version,
    postgres: version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
  log("Machine");
  for (const [k, v] of Object.entries(machine)) log(`  ${k.padEnd(9)} ${v}`);
  return machine;
}

export const log = (...args: unknown[]) => console.log(...args);
export const nowNs = () => process.hrtime.bigint();
export const msSince = (start: bigint) => Number(nowNs() - start) / 1e6;
export const fmt = (n: number, digits = 2) => n.toFixed(digits);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The URL of database `name` on the server that `serverUrl` points at. */
export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
