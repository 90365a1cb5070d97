import { z } from "zod";
import { ADMIN_SESSION_TTL_SECONDS, endAdminSession, resolveAdminSession, signInAdmin } from "./admin-session";
import { databaseSessionAuth, SignInRefused, throttlePolicy } from "./database-session-auth";
import { clientIp } from "./request-info";

/** Auth.js for admins, on Auth.js's default base path and cookies. */
export const { handlers, auth, signIn, signOut } = databaseSessionAuth({
  kind: "admin",
  maxAgeSeconds: ADMIN_SESSION_TTL_SECONDS,
  signInPage: "/admin/sign-in",
  credentials: { username: {}, password: {} },
  schema: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(1024) }),
  async signIn(db, input, request) {
    const result = await signInAdmin(
      db,
      { ...input, ipAddress: clientIp(request.headers), userAgent: request.headers.get("user-agent") },
      throttlePolicy(),
    );
    if (!result.ok) {
      throw new SignInRefused(result.code === "throttled" ? `throttled_${result.retryAfterSeconds}` : result.code);
    }
    return {
      id: result.principal.adminId,
      name: result.principal.username,
      sessionId: result.principal.sessionId,
      sessionToken: result.sessionToken,
    };
  },
  async resolve(db, token) {
    const principal = await resolveAdminSession(db, token);
    return principal ? { name: principal.username } : null;
  },
  end: endAdminSession,
});
