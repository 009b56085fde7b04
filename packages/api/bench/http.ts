import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RunningHttpServer {
  /** e.g. http://127.0.0.1:43210 */
  origin: string;
  close: () => Promise<void>;
}

/**
 * A node:http server on 127.0.0.1 (random port) that hands each request to a fetch-style
 * handler, the way the Next.js route handler serves tRPC in the app.
 */
export async function startHttpServer(
  handle: (request: Request) => Promise<Response>,
): Promise<RunningHttpServer> {
  const server = http.createServer((req, res) => {
    void bridge(req, res, handle);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections of the client would otherwise hold the server open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function bridge(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handle: (request: Request) => Promise<Response>,
): Promise<void> {
  try {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(key, item);
      else if (value !== undefined) headers.set(key, value);
    }
    const method = req.method ?? "GET";
    let body: Buffer | undefined;
    if (method !== "GET" && method !== "HEAD") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      body = Buffer.concat(chunks);
    }
    const response = await handle(
      new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
        method,
        headers,
        body,
      }),
    );
    // Streamed as the handler produces it, waiting for the socket to drain: a download is
    // never held whole in memory (the export benchmark measures exactly that).
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        if (!res.write(chunk)) await once(res, "drain");
      }
    }
    res.end();
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(error instanceof Error ? error.message : String(error));
  }
}

/** httpLink passes a plain object; other shapes go through Headers. */
function plainHeaders(init: RequestInit["headers"]): Record<string, string> {
  if (init === undefined) return {};
  if (init instanceof Headers || Array.isArray(init)) return Object.fromEntries(new Headers(init));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init)) {
    headers[name] = typeof value === "string" ? value : value.join(", ");
  }
  return headers;
}

export interface KeepAliveFetch {
  /** What tRPC's httpLink accepts as its `fetch` (its "node-fetch-like" shape). */
  fetch: (
    url: string | URL,
    init?: RequestInit,
  ) => Promise<{ ok: boolean; status: number; json: () => Promise<unknown> }>;
  close: () => void;
}

/**
 * A client for tRPC's httpLink over node:http with a keep-alive agent. A benchmark's client runs
 * in the server's process, where a browser's never does: Node's own fetch (undici) leaves enough
 * work and garbage per call on the server's event loop to double the p95 of a 2 ms request.
 */
export function keepAliveFetch(): KeepAliveFetch {
  const agent = new http.Agent({ keepAlive: true });
  return {
    fetch: (url, init = {}) =>
      new Promise((resolve, reject) => {
        const body = init.body ?? undefined;
        if (body !== undefined && typeof body !== "string") {
          reject(new TypeError("keepAliveFetch sends string bodies only."));
          return;
        }
        const request = http.request(
          url,
          {
            method: init.method ?? "GET",
            headers: plainHeaders(init.headers),
            agent,
            signal: init.signal ?? undefined,
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", reject);
            response.on("end", () => {
              const status = response.statusCode ?? 0;
              const text = Buffer.concat(chunks).toString("utf8");
              resolve({
                ok: status >= 200 && status < 300,
                status,
                json: () => Promise.resolve(JSON.parse(text) as unknown),
              });
            });
          },
        );
        request.on("error", reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}
