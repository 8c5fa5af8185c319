/** Runs once when the server starts (Next.js instrumentation). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { cmsCircuit } = await import("@/lib/cms-circuit");
  const { answerCmsOutagesWith503 } = await import("@/lib/outage-status");
  // Made now, so that a bad CMS_CIRCUIT_* value stops the server at start, not at a request.
  const circuit = cmsCircuit();
  answerCmsOutagesWith503(() => circuit.unavailableFor());
}
