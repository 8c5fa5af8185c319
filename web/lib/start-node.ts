/**
 * What the renderer sets up when its Node.js server starts (from instrumentation.ts): the
 * CMS circuit, 503s for the error pages it causes, 4xx for the 500s clients cause; traces,
 * metrics and error reports; a missing REVALIDATE_SECRET is said. Apart from
 * instrumentation.ts, which Next.js also compiles for the Edge runtime, where process.exit
 * does not exist.
 */
import { answerClientErrorsAs4xx } from "@/lib/client-errors";
import { cmsCircuit } from "@/lib/cms-circuit";
import { startErrorReports } from "@/lib/error-reports";
import { type CircuitState, startMetrics } from "@/lib/metrics";
import { answerCmsOutagesWith503 } from "@/lib/outage-status";
import { revalidateSecret } from "@/lib/revalidation";
import { startTracing } from "@/lib/tracing";

export async function startNode(): Promise<void> {
  let circuit: ReturnType<typeof cmsCircuit>;
  try {
    circuit = cmsCircuit();
    await startTracing();
    startMetrics((): CircuitState => circuit.breaker.opened ? "open"
      : circuit.breaker.halfOpen ? "half_open" : "closed");
    await startErrorReports();
  } catch (error) {
    // A bad CMS_CIRCUIT_* or METRICS_PORT value: refuse to start, in one line, rather
    // than fail every request.
    console.error(`Mortar renderer: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  answerCmsOutagesWith503(() => circuit.unavailableFor());
  // Installed after, so it runs first: a malformed request is the client's 4xx even while
  // the CMS is down.
  answerClientErrorsAs4xx();
  if (!revalidateSecret()) {
    // Loud, not fatal: the site still shows pages, but never hears of a change.
    console.error("Mortar renderer: REVALIDATE_SECRET is not set: the CMS cannot tell this "
      + "renderer of changes, and pages stay as cached for up to an hour. Give it the CMS's.");
  }
}
