import NextAuth, { CredentialsSignin, type NextAuthConfig, type NextAuthResult } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { z } from "zod";
import { getDb, type Db } from "@/db";
import { settings } from "@/lib/config";

/**
 * One Auth.js instance whose sessions live in the database: the credentials provider opens a
 * session row, the encrypted cookie carries only that session's random token, and every request
 * checks the row, so deleting it (sign-out, revocation) ends the session everywhere. Admins and
 * merchants each get their own instance, with their own principal kind, tables and cookies.
 */

export class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

declare module "next-auth" {
  interface User {
    sessionToken?: string;
    sessionId?: string;
  }
  interface Session {
    sessionId?: string;
  }
}

type SignedIn = { id: string; name: string; email?: string; sessionId: string; sessionToken: string };

export type DatabaseSessionAuthOptions<S extends z.ZodType> = {
  /** Written into the token and checked on every request, so one kind's token never passes as another's. */
  kind: "admin" | "merchant";
  maxAgeSeconds: number;
  signInPage: string;
  basePath?: string;
  cookies?: (secure: boolean) => NextAuthConfig["cookies"];
  credentials: Record<string, object>;
  schema: S;
  /** Verifies the credentials and opens a session; a refusal throws SignInRefused with its code. */
  signIn(db: Db, input: z.output<S>, request: Request): Promise<SignedIn>;
  /** The session's current principal, or null when it is gone or expired. */
  resolve(db: Db, sessionToken: string): Promise<{ name: string; email?: string } | null>;
  end(db: Db, sessionToken: string): Promise<void>;
};

export function databaseSessionAuth<S extends z.ZodType>(options: DatabaseSessionAuthOptions<S>): NextAuthResult {
  return NextAuth(() => {
    const s = settings();
    return {
      secret: s.AUTH_SECRET,
      trustHost: true,
      ...(options.basePath ? { basePath: options.basePath } : {}),
      ...(options.cookies ? { cookies: options.cookies(s.APP_URL.startsWith("https://")) } : {}),
      session: { strategy: "jwt", maxAge: options.maxAgeSeconds },
      pages: { signIn: options.signInPage },
      logger: {
        error(error) {
          // A wrong password is an expected outcome, not a server error worth a stack trace.
          if ((error as { type?: string }).type === "CredentialsSignin") return;
          console.error(`[auth:${options.kind}]`, error.name, error.message);
        },
      },
      providers: [
        Credentials({
          credentials: options.credentials,
          async authorize(raw, request) {
            const parsed = options.schema.safeParse(raw);
            if (!parsed.success) throw new SignInRefused("invalid_credentials");
            return options.signIn(await getDb(), parsed.data, request);
          },
        }),
      ],
      callbacks: {
        async jwt({ token, user }) {
          if (user) {
            token.st = user.sessionToken;
            token.sid = user.sessionId;
            token.kind = options.kind;
            return token;
          }
          if (token.kind !== options.kind || typeof token.st !== "string") return null;
          const principal = await options.resolve(await getDb(), token.st);
          if (!principal) return null;
          token.name = principal.name;
          if (principal.email) token.email = principal.email;
          return token;
        },
        session({ session, token }) {
          // Only what the UI needs; the session token never leaves the encrypted cookie.
          session.user = { id: token.sub ?? "", name: token.name ?? "", email: token.email ?? "" } as typeof session.user;
          session.sessionId = typeof token.sid === "string" ? token.sid : undefined;
          return session;
        },
      },
      events: {
        async signOut(message) {
          const token = "token" in message ? message.token : null;
          if (token && typeof token.st === "string") await options.end(await getDb(), token.st);
        },
      },
    };
  });
}

/** The sign-in throttle policy from the settings. */
export function throttlePolicy() {
  const s = settings();
  return { maxFailures: s.SIGNIN_MAX_FAILURES, lockSeconds: s.SIGNIN_LOCK_SECONDS, windowSeconds: 15 * 60 };
}
