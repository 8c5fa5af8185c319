/** Runs once when the server starts (Next.js instrumentation). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { cmsCircuit } = await import("@/lib/cms-circuit");
  const { answerCmsOutagesWith503 } = await import("@/lib/outage-status");
  let circuit: ReturnType<typeof cmsCircuit>;
  try {
    circuit = cmsCircuit();
  } catch (error) {
    // A bad CMS_CIRCUIT_* value: refuse to start, in one line, rather than fail every request.
    console.error(`Mortar renderer: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  answerCmsOutagesWith503(() => circuit.unavailableFor());
}
