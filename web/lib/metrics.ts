/**
 * The renderer's Prometheus metrics (prom-client), served on an internal listener.
 *
 * `next start` answers visitors on its port; with METRICS_PORT set, this process also
 * answers GET /metrics on METRICS_HOST:METRICS_PORT (127.0.0.1 unless told otherwise:
 * 0.0.0.0 in a container, for Prometheus beside it). nginx proxies only the site's port, so
 * the metrics are never public. Durations are in seconds. Labels take values from short
 * fixed lists (route kinds, CMS endpoints), never a visitor's path.
 *
 * Requests are measured where Node.js writes them (its `http.server.*` diagnostics
 * channels): duration, status and Next.js's `x-nextjs-cache` (HIT, STALE, MISS) by route.
 * Module state lives on `globalThis`: Next.js may load this module once per route bundle.
 */
import diagnosticsChannel from "node:diagnostics_channel";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import { traceIdOf } from "@/lib/tracing";

const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type RendererMetrics = {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  requestDuration: Histogram<"route" | "method">;
  isrCache: Counter<"route" | "result">;
  cmsFetchDuration: Histogram<"endpoint" | "outcome">;
  circuitState: Gauge<"state">;
};

const KEY = Symbol.for("mortar.metrics");

/** The circuit's states, as opossum names them (lib/cms-circuit.ts). */
export type CircuitState = "closed" | "half_open" | "open";

function create(): RendererMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "mortar_renderer_" });
  return {
    registry,
    requests: new Counter({ name: "mortar_renderer_http_requests_total", registers: [registry],
      help: "Requests the renderer answered, by route kind, method and status.",
      labelNames: ["route", "method", "status"] }),
    requestDuration: new Histogram({ name: "mortar_renderer_http_request_duration_seconds",
      help: "Time the renderer took to answer, by route kind and method.", registers: [registry],
      labelNames: ["route", "method"], buckets: REQUEST_BUCKETS }),
    isrCache: new Counter({ name: "mortar_renderer_isr_cache_total", registers: [registry],
      help: "Answers from Next.js's cache (x-nextjs-cache: hit, stale) or rendered (miss).",
      labelNames: ["route", "result"] }),
    cmsFetchDuration: new Histogram({ name: "mortar_renderer_cms_fetch_duration_seconds",
      help: "Requests to the CMS API by endpoint and outcome (HTTP status, error, circuit_open); " +
        "answers from Next.js's data cache included.",
      registers: [registry], labelNames: ["endpoint", "outcome"], buckets: REQUEST_BUCKETS }),
    circuitState: new Gauge({ name: "mortar_renderer_cms_circuit_state", registers: [registry],
      help: "The CMS circuit breaker's state: 1 for the current one (closed, half_open, open).",
      labelNames: ["state"] }),
  };
}

/** This process's metrics, made on first use. */
export function rendererMetrics(): RendererMetrics {
  const store = globalThis as typeof globalThis & { [KEY]?: RendererMetrics };
  store[KEY] ??= create();
  return store[KEY];
}

/** A request path's route kind: the label of the request metrics. */
export function routeOf(path: string): string {
  if (path.startsWith("/_next/static/")) return "static";
  if (path.startsWith("/_next/image")) return "image";
  if (path.startsWith("/_next/")) return "next";
  if (/^\/api\/revalidate\/?$/.test(path)) return "revalidate";
  if (path.startsWith("/api/preview")) return "preview";
  if (/^\/api\/page-access\/?$/.test(path)) return "page_access";
  if (path === "/robots.txt") return "robots";
  if (path === "/sitemap.xml" || path.startsWith("/sitemap/")) return "sitemap";
  if (/^\/(media|documents|_util)\//.test(path)) return "cms_proxy";
  if (path === "/favicon.ico") return "favicon";
  return "page";
}

/** METRICS_ENABLED=false: nothing is measured (as in the CMS), e.g. to measure the cost. */
function enabled(): boolean {
  return process.env.METRICS_ENABLED?.trim().toLowerCase() !== "false";
}

/** Time one request to the CMS: call the returned function with its outcome. */
export function timeCmsFetch(endpoint: string): (outcome: string | number) => void {
  if (!enabled()) return () => undefined;
  const started = performance.now();
  return (outcome) => rendererMetrics().cmsFetchDuration
    .labels(endpoint, String(outcome)).observe((performance.now() - started) / 1000);
}

const STARTED = Symbol("mortar.requestStarted");
type Timed = ServerResponse & { [STARTED]?: number };

function onRequestStart(message: unknown): void {
  const { response, server } = message as { response: Timed; server: Server };
  if (server === metricsServer()) return;
  response[STARTED] = performance.now();
}

function onResponseFinish(message: unknown): void {
  const { request, response } = message as { request: IncomingMessage; response: Timed };
  const started = response[STARTED];
  if (started === undefined) return;
  const seconds = (performance.now() - started) / 1000;
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  const route = routeOf(path);
  const method = request.method ?? "GET";
  const metrics = rendererMetrics();
  metrics.requests.labels(route, method, String(response.statusCode)).inc();
  metrics.requestDuration.labels(route, method).observe(seconds);
  const cache = response.getHeader("x-nextjs-cache");
  if (typeof cache === "string") metrics.isrCache.labels(route, cache.toLowerCase()).inc();
  if (process.env.LOG_REQUESTS === "true") {
    // One JSON line per request, the CMS's shape (cms.monitoring): no query string, which
    // may hold a preview token.
    process.stdout.write(`${JSON.stringify({
      time: new Date().toISOString(), level: "INFO", logger: "mortar.requests",
      message: `${method} ${path} ${response.statusCode}`, method, path,
      status: response.statusCode, duration_ms: Math.round(seconds * 100_000) / 100,
      cache: typeof cache === "string" ? cache : undefined,
      trace_id: traceIdOf(request.headers.traceparent),
    })}\n`);
  }
}

const SERVER = Symbol.for("mortar.metricsServer");

function metricsServer(): Server | true | undefined {
  return (globalThis as typeof globalThis & { [SERVER]?: Server | true })[SERVER];
}

/**
 * Measure every request of this process (unless METRICS_ENABLED=false), and serve /metrics
 * when METRICS_PORT is set;
 * `circuitState` is read at each scrape. Idempotent. An invalid METRICS_PORT throws.
 */
export function startMetrics(circuitState: () => CircuitState): void {
  const store = globalThis as typeof globalThis & { [SERVER]?: Server | true };
  if (store[SERVER] || !enabled()) return;
  store[SERVER] = true;
  diagnosticsChannel.subscribe("http.server.request.start", onRequestStart);
  diagnosticsChannel.subscribe("http.server.response.finish", onResponseFinish);
  const raw = process.env.METRICS_PORT?.trim();
  if (!raw) return;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(`METRICS_PORT must be a port number (1-65535), not ${JSON.stringify(raw)}`);
  }
  const metrics = rendererMetrics();
  const server = createServer((request, response) => {
    if (request.url?.split("?")[0] !== "/metrics" || !["GET", "HEAD"].includes(request.method ?? "")) {
      response.writeHead(404).end();
      return;
    }
    const state = circuitState();
    for (const name of ["closed", "half_open", "open"] as const) {
      metrics.circuitState.labels(name).set(name === state ? 1 : 0);
    }
    metrics.registry.metrics().then(
      (body) => response.writeHead(200, { "Content-Type": metrics.registry.contentType }).end(body),
      () => response.writeHead(500).end());
  });
  server.listen(port, process.env.METRICS_HOST || "127.0.0.1");
  store[SERVER] = server;
}
