import { z } from "zod";
import {
  endMerchantSession,
  MERCHANT_SESSION_TTL_SECONDS,
  resolveMerchantSession,
  signInMerchant,
} from "@/lib/merchants/accounts";
import { databaseSessionAuth, SignInRefused, throttlePolicy } from "./database-session-auth";
import { clientIp } from "./request-info";

/**
 * Auth.js for merchants: a second instance beside the admins' one, with its own base path and its
 * own cookies, so a merchant session can never stand in for an admin session or the other way.
 */

function merchantCookies(secure: boolean) {
  const prefix = secure ? "__Secure-" : "";
  const options = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  return {
    sessionToken: { name: `${prefix}merchant.session-token`, options },
    callbackUrl: { name: `${prefix}merchant.callback-url`, options },
    csrfToken: { name: `${secure ? "__Host-" : ""}merchant.csrf-token`, options },
  };
}

export const {
  handlers: merchantHandlers,
  auth: merchantAuth,
  signIn: merchantSignIn,
  signOut: merchantSignOut,
} = databaseSessionAuth({
  kind: "merchant",
  maxAgeSeconds: MERCHANT_SESSION_TTL_SECONDS,
  signInPage: "/merchant/sign-in",
  basePath: "/api/merchant-auth",
  cookies: merchantCookies,
  credentials: { email: {}, password: {} },
  schema: z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(1024) }),
  async signIn(db, input, request) {
    const result = await signInMerchant(
      db,
      { ...input, ipAddress: clientIp(request.headers), userAgent: request.headers.get("user-agent") },
      throttlePolicy(),
    );
    if (!result.ok) {
      throw new SignInRefused(result.code === "throttled" ? `throttled_${result.retryAfterSeconds}` : result.code);
    }
    return {
      id: result.principal.merchantId,
      name: result.principal.businessName,
      email: result.principal.contactEmail,
      sessionId: result.principal.sessionId,
      sessionToken: result.sessionToken,
    };
  },
  async resolve(db, token) {
    const principal = await resolveMerchantSession(db, token);
    return principal ? { name: principal.businessName, email: principal.contactEmail } : null;
  },
  end: endMerchantSession,
});
