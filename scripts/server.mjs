// `npm start`: the production server. Next's request handler behind a plain Node HTTP server, so
// that a storefront catalog page already rendered for the current catalog version is written
// straight from memory (lib/store/rendered-page-cache.ts registers that fast path when it loads),
// skipping Next's per-request pipeline, which costs about a millisecond of CPU even for an answer
// the proxy serves from cache (docs/benchmarks.md). Every other request, and any catalog request
// the fast path declines, is Next's as with `next start`.
//
//   node scripts/server.mjs [-p <port>] [-H <hostname>]     (PORT and HOSTNAME also work)
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
  strict: true,
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${values.port ?? process.env.PORT}`);
  process.exit(1);
}
const hostname = values.hostname ?? process.env.HOSTNAME;
process.env.NODE_ENV = "production";
// The catalog's loopback renders (lib/store/rendered-page-cache.ts) find the server through PORT.
process.env.PORT = String(port);

const FAST_PATH = Symbol.for("cryptocheckout.catalogFastPath");

const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

function toNext(req, res) {
  handle(req, res).catch((error) => {
    console.error("request failed:", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end();
  });
}

const server = createServer((req, res) => {
  const fastPath = globalThis[FAST_PATH];
  if (!fastPath) return toNext(req, res);
  fastPath(req, res).then(
    (served) => served || toNext(req, res),
    () => toNext(req, res),
  );
});
// As `next start`: keep-alive sockets outlive a typical proxy's idle timeout.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
app.setupWebSocketHandler?.(server);

server.listen(port, hostname, () => {
  const address = server.address();
  const shown = typeof address === "object" && address ? `${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}` : String(address);
  console.log(`> Ready on http://${shown}`);
});

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  server.close();
  server.closeIdleConnections();
  const forced = setTimeout(() => server.closeAllConnections(), 10_000);
  forced.unref();
  await app.close().catch(() => {});
  process.exit(signal === "SIGINT" ? 130 : 143);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
