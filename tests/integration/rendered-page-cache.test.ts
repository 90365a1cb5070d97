import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setDatabaseForTesting } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { ensureSeeded } from "@/db/seed";
import { serveCatalogFromNode } from "@/lib/store/rendered-page-cache";
import { testKek } from "../helpers/keys";
import { createTestDatabase, targetName } from "../helpers/test-db";

/**
 * The fast path scripts/server.mjs runs before Next, against a real HTTP server on loopback. The
 * server plays Next: a request carrying the render header is "rendered" (counted, and answered
 * from `renderAnswer`), and anything the fast path declines is answered "from next".
 */

let h: DatabaseHandle;
let server: Server;
let origin: string;
let renders: { url: string; headers: IncomingHttpHeaders }[] = [];
let renderAnswer: { status: number; type: string } = { status: 200, type: "text/html; charset=utf-8" };
const savedPort = process.env.PORT;

beforeAll(async () => {
  h = await createTestDatabase();
  await ensureSeeded(h.db, { adminUsername: "admin", demoData: true, storeName: "Test Store", kek: testKek() });
  setDatabaseForTesting(h);
  server = createServer((req, res) => {
    if (req.headers["x-catalog-render"] !== undefined) {
      renders.push({ url: req.url ?? "", headers: req.headers });
      res.writeHead(renderAnswer.status, {
        "content-type": renderAnswer.type,
        "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate",
        "set-cookie": "visitor=one; Path=/",
      });
      res.end(`<html><body>render ${renders.length} of ${req.url}</body></html>`);
      return;
    }
    void serveCatalogFromNode(req, res).then((served) => {
      if (served) return;
      res.writeHead(299, { "content-type": "text/plain" });
      res.end("from next");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.env.PORT = String(port); // where the loopback render goes
  origin = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  process.env.PORT = savedPort;
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

beforeEach(async () => {
  renders = [];
  renderAnswer = { status: 200, type: "text/html; charset=utf-8" };
  await bumpVersion(); // every test starts from an empty cache for its version
});

async function bumpVersion(): Promise<void> {
  await h.db.execute(sql`update catalog_version set version = version + 1`);
}

type Answer = { status: number; headers: IncomingHttpHeaders; body: string };
function send(path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method: init.method ?? "GET", headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe(`catalog pages served before Next (${targetName()})`, () => {
  it("renders a page once through the loopback, then answers from memory with the same bytes", async () => {
    const first = await send("/?level=HIGH");
    expect(first.status).toBe(200);
    expect(first.headers["x-catalog-cache"]).toBe("miss");
    expect(first.body).toBe("<html><body>render 1 of /?level=HIGH</body></html>");
    expect(renders).toHaveLength(1);
    expect(renders[0]!.headers["accept-encoding"]).toBe("identity");

    const second = await send("/?level=HIGH");
    expect(second.status).toBe(200);
    expect(second.headers["x-catalog-cache"]).toBe("hit");
    expect(second.body).toBe(first.body);
    expect(second.headers["content-length"]).toBe(String(Buffer.byteLength(first.body)));
    expect(second.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(second.headers["cache-control"]).toContain("no-store");
    expect(renders).toHaveLength(1);
  });

  it("never replays a rendered response's cookies", async () => {
    await send("/");
    const hit = await send("/");
    expect(hit.headers["x-catalog-cache"]).toBe("hit");
    expect(hit.headers["set-cookie"]).toBeUndefined();
  });

  it("keeps one page per query string", async () => {
    await send("/?sort=price_asc");
    await send("/?sort=price_desc");
    expect((await send("/?sort=price_asc")).body).toContain("render 1 of /?sort=price_asc");
    expect((await send("/?sort=price_desc")).body).toContain("render 2 of /?sort=price_desc");
    expect(renders).toHaveLength(2);
  });

  it("renders again once the catalog version moves, as any change to an account makes it", async () => {
    await send("/?page=2");
    await h.db.execute(sql`update accounts set updated_at = now() where id = (select id from accounts order by name limit 1)`);
    const after = await send("/?page=2");
    expect(after.headers["x-catalog-cache"]).toBe("miss");
    expect(after.body).toContain("render 2");
  });

  it("answers HEAD with the headers and no body", async () => {
    await send("/?q=opus");
    const head = await send("/?q=opus", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers["x-catalog-cache"]).toBe("hit");
    expect(head.body).toBe("");
  });

  it.each([
    ["a POST", "/", { method: "POST" }],
    ["another page", "/accounts/x", {}],
    ["a path that is not the catalog's", "//example.com/", {}],
    ["a client navigation (RSC header)", "/", { headers: { rsc: "1" } }],
    ["a prefetch", "/", { headers: { "next-router-prefetch": "1" } }],
    ["an RSC query", "/?_rsc=abc", {}],
  ] as const)("leaves %s to Next", async (_label, path, init) => {
    const answer = await send(path, init);
    expect(answer.status).toBe(299);
    expect(answer.body).toBe("from next");
    expect(renders).toHaveLength(0);
  });

  it("leaves the request to Next when the render fails, and keeps nothing", async () => {
    renderAnswer = { status: 500, type: "text/html" };
    const failed = await send("/?min=5");
    expect(failed.body).toBe("from next");
    renderAnswer = { status: 200, type: "text/html; charset=utf-8" };
    const retried = await send("/?min=5");
    expect(retried.headers["x-catalog-cache"]).toBe("miss");
    expect(retried.body).toContain("render 2 of /?min=5");
  });

  it("does not store an answer that is not HTML", async () => {
    renderAnswer = { status: 200, type: "application/json" };
    expect((await send("/?max=9")).body).toBe("from next");
  });
});
