import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db";
import { settings } from "@/lib/config";
import {
  endMerchantSession,
  MERCHANT_SESSION_TTL_SECONDS,
  resolveMerchantSession,
  signInMerchant,
} from "@/lib/merchants/accounts";
import { clientIp } from "./request-info";

/**
 * Auth.js for merchants: a second instance beside the admins' one, with its own base path and its
 * own cookies, so a merchant session can never stand in for an admin session or the other way.
 * The cookie carries only a random token whose hash is a merchant_sessions row.
 */

class MerchantSignInError extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
});

function cookieNames(secure: boolean) {
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
} = NextAuth(() => {
  const s = settings();
  const secure = s.APP_URL.startsWith("https://");
  return {
    secret: s.AUTH_SECRET,
    trustHost: true,
    basePath: "/api/merchant-auth",
    cookies: cookieNames(secure),
    session: { strategy: "jwt", maxAge: MERCHANT_SESSION_TTL_SECONDS },
    pages: { signIn: "/merchant/sign-in" },
    logger: {
      error(error) {
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        console.error("[merchant-auth]", error.name, error.message);
      },
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(raw, request) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) throw new MerchantSignInError("invalid_credentials");
          const result = await signInMerchant(
            await getDb(),
            { ...parsed.data, ipAddress: clientIp(request.headers), userAgent: request.headers.get("user-agent") },
            { maxFailures: s.SIGNIN_MAX_FAILURES, lockSeconds: s.SIGNIN_LOCK_SECONDS, windowSeconds: 15 * 60 },
          );
          if (!result.ok) {
            throw new MerchantSignInError(
              result.code === "throttled" ? `throttled_${result.retryAfterSeconds}` : result.code,
            );
          }
          return {
            id: result.principal.merchantId,
            name: result.principal.businessName,
            email: result.principal.contactEmail,
            sessionId: result.principal.sessionId,
            sessionToken: result.sessionToken,
          };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.st = user.sessionToken;
          token.sid = user.sessionId;
          token.kind = "merchant";
          return token;
        }
        if (token.kind !== "merchant" || typeof token.st !== "string") return null;
        const principal = await resolveMerchantSession(await getDb(), token.st);
        if (!principal) return null;
        token.name = principal.businessName;
        token.email = principal.contactEmail;
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? "", name: token.name ?? "", email: token.email ?? "" } as typeof session.user;
        session.sessionId = typeof token.sid === "string" ? token.sid : undefined;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (token && typeof token.st === "string") await endMerchantSession(await getDb(), token.st);
      },
    },
  };
});
