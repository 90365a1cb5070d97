import { buildOpenApiDocument } from "@/lib/api/openapi";
import { settings } from "@/lib/config";

export function GET() {
  return Response.json(buildOpenApiDocument(settings().APP_URL), {
    headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
}
