/* A stand-in for the cell's API in component tests: answers by
 * "METHOD /path", records every request (method, path, headers, body). */
import { vi } from "vitest";

export interface Seen {
  method: string;
  path: string;
  search: string; /* "?purge=true", or "" */
  headers: Headers;
  body: unknown;
}
type Handler = (req: Seen) => { status: number; body?: unknown; headers?: Record<string, string> };

export function fakeApi(routes: Record<string, Handler>) {
  const seen: Seen[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const req = input instanceof Request ? input : new Request(input);
    const url = new URL(req.url);
    const text = await req.text();
    const s: Seen = { method: req.method, path: url.pathname, search: url.search, headers: req.headers, body: text ? JSON.parse(text) : undefined };
    seen.push(s);
    const h = routes[`${req.method} ${url.pathname}`];
    if (!h) return new Response(JSON.stringify({ error: { code: "not_found", message: "no such path" } }), { status: 404, headers: { "Content-Type": "application/json" } });
    const r = h(s);
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: { "Content-Type": "application/json", ...(r.headers ?? {}) } });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { seen };
}

/* jsdom has no EventSource; pages only need it to exist. */
export class FakeEventSource {
  static readonly OPEN = 1;
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  constructor(readonly url: string) {}
  addEventListener() {}
  close() {}
}
