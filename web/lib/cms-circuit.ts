/**
 * The circuit breaker (opossum) every request from the renderer to the CMS goes through.
 *
 * Closed: requests go to the CMS. Once at least `volumeThreshold` requests were made in
 * the last `windowMs` and more than `errorPercent` % of them failed (no answer, a timeout
 * or a 502, 503 or 504), it opens: for `resetMs` no request reaches the CMS and each fails at once, so
 * a CMS that is down or struggling is not hammered by every page a visitor asks for, and
 * visitors get the site's error page at once instead of after a timeout. Pages already in
 * the renderer's cache are served from it meanwhile. Then it half-opens: the next request
 * is a trial, whose success closes the circuit again and whose failure reopens it.
 *
 * One circuit per process, shared by every route bundle that imports this module (Next.js
 * may load a module once per route), hence kept on `globalThis`.
 */
import CircuitBreaker from "opossum";

/** What the circuit is tuned by: each from its environment variable, defaults below. */
export type CircuitSettings = {
  /**
   * CMS_CIRCUIT_ERROR_PERCENT: open above this share of failed requests (1-100). Answers
   * from Next.js's data cache count as successes, and a page asks for its menu (mostly
   * cached) as well as its document: with the CMS down, about half of the requests fail.
   */
  errorPercent: number;
  /** CMS_CIRCUIT_VOLUME_THRESHOLD: never open on fewer requests than this in the window. */
  volumeThreshold: number;
  /** CMS_CIRCUIT_WINDOW_MS: the rolling window the share is counted over, in ms. */
  windowMs: number;
  /** CMS_CIRCUIT_RESET_MS: how long it stays open before a trial request, in ms. */
  resetMs: number;
};

const VARIABLES: Record<keyof CircuitSettings, { name: string; fallback: number; min: number;
                                                 max: number }> = {
  errorPercent: { name: "CMS_CIRCUIT_ERROR_PERCENT", fallback: 25, min: 1, max: 100 },
  volumeThreshold: { name: "CMS_CIRCUIT_VOLUME_THRESHOLD", fallback: 10, min: 1, max: 1_000_000 },
  windowMs: { name: "CMS_CIRCUIT_WINDOW_MS", fallback: 10_000, min: 100, max: 3_600_000 },
  resetMs: { name: "CMS_CIRCUIT_RESET_MS", fallback: 10_000, min: 100, max: 3_600_000 },
};

/**
 * The circuit's settings from `env`; a value that is not a whole number in its range throws
 * an Error naming the variable and the range (the renderer then refuses to answer).
 */
export function circuitSettings(env: Record<string, string | undefined> = process.env): CircuitSettings {
  const read = (key: keyof CircuitSettings): number => {
    const { name, fallback, min, max } = VARIABLES[key];
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
    }
    return value;
  };
  return { errorPercent: read("errorPercent"), volumeThreshold: read("volumeThreshold"),
    windowMs: read("windowMs"), resetMs: read("resetMs") };
}

/** A failure of the CMS that counts against the circuit (no answer, timeout, 502-504). */
export class CmsFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CmsFailure";
  }
}

/** The circuit is open: the CMS was not asked. */
export class CircuitOpenError extends CmsFailure {
  constructor(readonly retryAfterSeconds: number) {
    super(`The CMS is failing: not asking it for ${retryAfterSeconds}s`);
    this.name = "CircuitOpenError";
  }
}

type Call = () => Promise<Response>;

export type Circuit = {
  /** `call()` through the circuit: its Response, or a CmsFailure (a CircuitOpenError when open). */
  fire(call: Call): Promise<Response>;
  /**
   * Seconds a client should wait before asking again while the CMS is failing: the circuit
   * is not closed, or the last request to the CMS failed. null while it answers.
   */
  unavailableFor(): number | null;
  readonly breaker: CircuitBreaker<[Call], Response>;
};

/** The answers that mean the CMS cannot answer (its proxy's, or its own 503). */
export const OUTAGE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

export function createCircuit(settings: CircuitSettings): Circuit {
  const breaker = new CircuitBreaker<[Call], Response>(async (call) => {
    const response = await call();
    // A gateway error or a 503 (the CMS's answer when its database is down) is the CMS
    // failing. Any other answer is the CMS working: 404s, 400s, and a 500 too, which is
    // a bug in one answer (a visitor could repeat it to close the site for everyone).
    if (OUTAGE_STATUSES.has(response.status)) {
      await response.body?.cancel();
      throw new CmsFailure(`CMS answered ${response.status}`);
    }
    return response;
  }, {
    // Each request has its own timeout (lib/cms.ts); opossum's would only duplicate it.
    timeout: false,
    errorThresholdPercentage: settings.errorPercent,
    volumeThreshold: settings.volumeThreshold,
    rollingCountTimeout: settings.windowMs,
    resetTimeout: settings.resetMs,
    enableSnapshots: false,
    name: "cms",
  });
  // When the last failure was seen (performance.now()), until a request made after it
  // succeeds: an answer from Next's cache that was asked for before does not say the CMS is back.
  let lastFailure: number | null = null;
  const retryAfter = Math.max(1, Math.ceil(settings.resetMs / 1000));

  return {
    breaker,
    async fire(call) {
      const started = performance.now();
      try {
        const response = await breaker.fire(call);
        if (lastFailure !== null && started > lastFailure) lastFailure = null;
        return response;
      } catch (error) {
        lastFailure = performance.now();
        if (error instanceof CmsFailure) throw error;
        if ((error as { code?: unknown } | null)?.code === "EOPENBREAKER") {
          throw new CircuitOpenError(retryAfter);
        }
        throw new CmsFailure("CMS request failed", { cause: error });
      }
    },
    unavailableFor() {
      return !breaker.closed || lastFailure !== null ? retryAfter : null;
    },
  };
}

const KEY = Symbol.for("mortar.cmsCircuit");

/** The process's circuit, made on first use from the environment. */
export function cmsCircuit(): Circuit {
  const store = globalThis as typeof globalThis & { [KEY]?: Circuit };
  store[KEY] ??= createCircuit(circuitSettings());
  return store[KEY];
}
