import type { Instrumentation } from "next";

/** Runs once when the server starts (Next.js instrumentation). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startNode } = await import("@/lib/start-node");
    await startNode();
  }
}

/** Errors of routes and server components, to Sentry when SENTRY_DSN is set (lib/error-reports.ts). */
export const onRequestError: Instrumentation.onRequestError = async (...args) => {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.SENTRY_DSN) return;
  const { captureRequestError } = await import("@sentry/nextjs");
  captureRequestError(...args);
};
