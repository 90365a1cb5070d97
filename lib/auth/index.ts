import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db";
import { settings } from "@/lib/config";
import { ADMIN_SESSION_TTL_SECONDS, endAdminSession, resolveAdminSession, signInAdmin } from "./admin-session";
import { clientIp } from "./request-info";

/**
 * Auth.js for admins. The credentials provider creates an admin_sessions row; the encrypted
 * session cookie carries only that session's random token, and every request checks the row,
 * so signing out or deleting the row ends the session everywhere.
 */

class AdminSignInError extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

const credentialsSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
});

declare module "next-auth" {
  interface User {
    sessionToken?: string;
    sessionId?: string;
  }
  interface Session {
    sessionId?: string;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const s = settings();
  return {
    secret: s.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: ADMIN_SESSION_TTL_SECONDS },
    pages: { signIn: "/admin/sign-in" },
    logger: {
      error(error) {
        // A wrong password is an expected outcome, not a server error worth a stack trace.
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        console.error("[auth]", error.name, error.message);
      },
    },
    providers: [
      Credentials({
        credentials: { username: {}, password: {} },
        async authorize(raw, request) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) throw new AdminSignInError("invalid_credentials");
          const db = await getDb();
          const result = await signInAdmin(
            db,
            {
              ...parsed.data,
              ipAddress: clientIp(request.headers),
              userAgent: request.headers.get("user-agent"),
            },
            { maxFailures: s.SIGNIN_MAX_FAILURES, lockSeconds: s.SIGNIN_LOCK_SECONDS, windowSeconds: 15 * 60 },
          );
          if (!result.ok) {
            throw new AdminSignInError(
              result.code === "throttled" ? `throttled_${result.retryAfterSeconds}` : result.code,
            );
          }
          return {
            id: result.principal.adminId,
            name: result.principal.username,
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
          return token;
        }
        if (typeof token.st !== "string") return null;
        const principal = await resolveAdminSession(await getDb(), token.st);
        if (!principal) return null;
        token.name = principal.username;
        return token;
      },
      session({ session, token }) {
        // Only what the UI needs; the session token never leaves the encrypted cookie.
        session.user = { id: token.sub ?? "", name: token.name ?? "", email: "" } as typeof session.user;
        session.sessionId = typeof token.sid === "string" ? token.sid : undefined;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (token && typeof token.st === "string") await endAdminSession(await getDb(), token.st);
      },
    },
  };
});
