import { NextResponse, type NextRequest } from "next/server";
import { serveCatalogPage } from "@/lib/store/rendered-page-cache";

/**
 * Two jobs at the edge of every request:
 * - the storefront catalog ("/") is answered from its rendered-page cache when it can be
 *   (lib/store/rendered-page-cache.ts);
 * - a visitor to an admin page without an admin session cookie is sent to the sign-in page,
 *   remembering the page asked for (path and query) so sign-in brings them back. Only the cookie's
 *   presence is checked here; every admin page still verifies the session against the database.
 */
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === "/") return serveCatalogPage(request);
  const hasSession = request.cookies.getAll().some((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name));
  if (hasSession) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const signIn = new URL("/admin/sign-in", request.url);
  signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

export const config = { matcher: ["/", "/admin", "/admin/((?!sign-in).*)"] };
