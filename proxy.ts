import { NextResponse, type NextRequest } from "next/server";

/**
 * Sends a visitor without an admin session cookie to the sign-in page, remembering the page they
 * asked for (path and query) so sign-in brings them back to it. Only the cookie's presence is
 * checked here; every admin page still verifies the session against the database.
 */
export function proxy(request: NextRequest) {
  const hasSession = request.cookies.getAll().some((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name));
  if (hasSession) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const signIn = new URL("/admin/sign-in", request.url);
  signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

export const config = { matcher: ["/admin", "/admin/((?!sign-in).*)"] };
