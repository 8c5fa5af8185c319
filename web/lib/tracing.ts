/**
 * W3C trace context (`traceparent`) from nginx through the renderer to the CMS.
 *
 * A tracer provider turns on Next.js's own tracing, which continues the trace of each
 * incoming request's `traceparent` (nginx starts one for every request); `traceHeaders()`
 * passes it on in each request to the CMS (lib/cms.ts), so the CMS's log lines, and the
 * tasks it queues, carry the same trace id. Next.js leaves `traceparent` out of its fetch
 * cache keys. Spans are recorded and exported only when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; otherwise ids are only passed on.
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { AlwaysOffSampler, BasicTracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

const INSTALLED = Symbol.for("mortar.tracing");

function exporting(): boolean {
  return Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Register the process's context manager, propagator and tracer provider; idempotent. */
export async function startTracing(): Promise<void> {
  const store = globalThis as typeof globalThis & { [INSTALLED]?: true };
  if (store[INSTALLED]) return;
  store[INSTALLED] = true;
  const processors: SpanProcessor[] = [];
  if (exporting()) {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    const { BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  }
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({
    // Not recorded, yet each span has ids: the incoming trace id is kept.
    ...(exporting() ? {} : { sampler: new AlwaysOffSampler() }),
    spanProcessors: processors,
  }));
}

/** The `traceparent` (and `tracestate`) of the current request, for a request it makes. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id (32 hex digits) of a `traceparent` header, or "" when it is not one. */
export function traceIdOf(traceparent: string | string[] | undefined): string {
  const value = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const match = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  const traceId = match?.[1] ?? "";
  return /^0*$/.test(traceId) ? "" : traceId;
}
