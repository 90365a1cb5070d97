import { redirect } from "next/navigation";
import { auth } from "./index";

export type CurrentAdmin = { id: string; username: string; sessionId: string | undefined };

export async function currentAdmin(): Promise<CurrentAdmin | null> {
  const session = await auth();
  if (!session?.user?.id) return null;
  return { id: session.user.id, username: session.user.name ?? "", sessionId: session.sessionId };
}

/** For admin pages: the signed-in admin, or a redirect to the sign-in page that comes back here. */
export async function requireAdmin(returnTo = "/admin"): Promise<CurrentAdmin> {
  const admin = await currentAdmin();
  if (!admin) redirect(`/admin/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return admin;
}
