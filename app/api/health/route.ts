import { sql } from "drizzle-orm";
import { NextResponse } from "next/server";
import { getDatabase } from "@/db";

export const dynamic = "force-dynamic";

/** Liveness plus a database round trip; 503 when the database does not answer. */
export async function GET() {
  const started = performance.now();
  try {
    const { db, kind } = await getDatabase();
    await db.execute(sql`select 1`);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return NextResponse.json(
      { status: "ok", database: { status: "up", kind, latencyMs } },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    console.error("[health] database check failed:", error instanceof Error ? error.message : error);
    return NextResponse.json(
      { status: "error", database: { status: "down" } },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
