import { redirect } from "next/navigation";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { merchants } from "@/db/schema";
import type { MerchantStatus, PlanType } from "@/lib/domain";
import { merchantAuth } from "./merchant-auth";

export type CurrentMerchant = {
  id: string;
  businessName: string;
  contactEmail: string;
  status: MerchantStatus;
  planType: PlanType;
};

export async function currentMerchant(): Promise<CurrentMerchant | null> {
  const session = await merchantAuth();
  const id = session?.user?.id;
  if (!id) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      id: merchants.id,
      businessName: merchants.businessName,
      contactEmail: merchants.contactEmail,
      status: merchants.status,
      planType: merchants.planType,
    })
    .from(merchants)
    .where(eq(merchants.id, id));
  return row ?? null;
}

/** For merchant pages: the signed-in merchant, or a redirect to sign-in that comes back here. */
export async function requireMerchant(returnTo = "/merchant"): Promise<CurrentMerchant> {
  const merchant = await currentMerchant();
  if (!merchant) redirect(`/merchant/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return merchant;
}
