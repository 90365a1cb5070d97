import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A merchant's webhook receiver on loopback: records every request and answers as the test says. */

export type ReceivedWebhook = { method: string; path: string; headers: IncomingHttpHeaders; body: string; at: Date };
export type Responder = (request: ReceivedWebhook, res: ServerResponse) => void;

export const answer =
  (status: number, body = "", headers: Record<string, string> = {}): Responder =>
  (_request, res) => {
    res.writeHead(status, { "content-type": "text/plain", ...headers });
    res.end(body);
  };
/** Never answers: the sender's timeout (or the socket's close) ends the request. */
export const hang: Responder = () => {};

export type WebhookReceiver = {
  url: (path?: string) => string;
  port: number;
  received: ReceivedWebhook[];
  respond: (responder: Responder) => void;
  close: () => Promise<void>;
};

export async function startWebhookReceiver(initial: Responder = answer(200, "ok")): Promise<WebhookReceiver> {
  let responder = initial;
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: new Date() };
      received.push(request);
      responder(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path = "/hooks") => `http://127.0.0.1:${port}${path}`,
    received,
    respond: (next) => (responder = next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
