/**
 * What the renderer sets up when its Node.js server starts (from instrumentation.ts): the
 * CMS circuit, and 503s for the error pages it causes; a missing REVALIDATE_SECRET is said. Apart from instrumentation.ts,
 * which Next.js also compiles for the Edge runtime, where process.exit does not exist.
 */
import { cmsCircuit } from "@/lib/cms-circuit";
import { answerCmsOutagesWith503 } from "@/lib/outage-status";
import { revalidateSecret } from "@/lib/revalidation";

export function startNode(): void {
  let circuit: ReturnType<typeof cmsCircuit>;
  try {
    circuit = cmsCircuit();
  } catch (error) {
    // A bad CMS_CIRCUIT_* value: refuse to start, in one line, rather than fail every request.
    console.error(`Mortar renderer: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  answerCmsOutagesWith503(() => circuit.unavailableFor());
  if (!revalidateSecret()) {
    // Loud, not fatal: the site still shows pages, but never hears of a change.
    console.error("Mortar renderer: REVALIDATE_SECRET is not set: the CMS cannot tell this "
      + "renderer of changes, and pages stay as cached for up to an hour. Give it the CMS's.");
  }
}
