/**
 * The renderer's ISR and data cache in Redis, shared by every `next start` instance, so one
 * `revalidateTag` (POST /api/revalidate, on whichever instance received it) drops the
 * entry for all of them. next.config.ts selects this file only when REDIS_URL is set and
 * the server is not `next dev`; otherwise (`make dev`) Next.js keeps its own cache on
 * local disk.
 *
 * Entries live under `<CACHE_KEY_PREFIX>next:<build id>:`: a new build never reads an
 * older build's pages, and test sessions sharing a Redis database never read each other's.
 * While Redis is unreachable every read is a miss (pages are rendered, not served stale)
 * and the client reconnects by itself; no instance falls back to a private copy, which
 * would keep serving what another instance's revalidation had dropped. A Redis that hangs
 * costs a request REDIS_TIMEOUT_MS at most: connecting and each command give up after it,
 * commands are refused at once while disconnected, and a connection silent for
 * REDIS_SILENCE_MS (pinged every REDIS_PING_MS) is dropped and made anew.
 *
 * What anyone can ask for is not stored: the site's 404 page and the CMS's 404 answer
 * behind it, one of each per unknown path, would let any visitor fill Redis with random
 * addresses. Those are rendered on each request instead (cheap: no page data) and cached
 * by the HTTP cache in front, whose store has a fixed size.
 */
import { CacheHandler } from "@fortedigital/nextjs-cache-handler";
import createLruHandler from "@fortedigital/nextjs-cache-handler/local-lru";
import createRedisHandler from "@fortedigital/nextjs-cache-handler/redis-strings";
import { createClient } from "@redis/client";
import { randomUUID } from "node:crypto";
import { PHASE_PRODUCTION_BUILD } from "next/constants.js";

const REDIS_TIMEOUT_MS = 500;
const REDIS_PING_MS = 1000;
const REDIS_SILENCE_MS = 3000;

/** One client per process: Next.js may construct the handler more than once. */
function redisClient() {
  if (!globalThis.mortarCacheRedis) {
    const client = createClient({
      url: process.env.REDIS_URL,
      pingInterval: REDIS_PING_MS,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: REDIS_TIMEOUT_MS,
        socketTimeout: REDIS_SILENCE_MS,
        // Back within a second of Redis: retry every 100 ms, then every second.
        reconnectStrategy: (retries) => Math.min(100 * (retries + 1), 1000),
      },
    });
    // Logged, not thrown: node-redis reconnects by itself, and reads miss meanwhile.
    client.on("error", (error) => console.warn(`renderer cache: Redis: ${error.message}`));
    client.connect().catch((error) => console.warn(`renderer cache: ${error.message}`));
    globalThis.mortarCacheRedis = client;
  }
  return globalThis.mortarCacheRedis;
}

/** Whether this process keeps its cache in Redis: with REDIS_URL, in a server that is
 * neither `next build` nor `next dev` (which next.config.ts leaves to Next.js's own). */
function inRedis() {
  return Boolean(process.env.REDIS_URL) && process.env.NEXT_PHASE !== PHASE_PRODUCTION_BUILD
    && process.env.NODE_ENV !== "development";
}

/**
 * Whether the shared cache takes commands now, waiting up to `timeoutMs` for its client to
 * connect (true with no Redis to wait for). The cache handler's own revalidateTag throws
 * while the client is not ready (just started, or Redis down), and Next.js only logs that:
 * POST /api/revalidate asks this first, so that the CMS hears 503 and tries again rather
 * than a 200 for a revalidation that never happened.
 */
export async function sharedCacheReady(timeoutMs = REDIS_TIMEOUT_MS) {
  if (!inRedis()) return true;
  const client = redisClient();
  if (client.isReady) return true;
  await new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off("ready", done);
      resolve(undefined);
    };
    const timer = setTimeout(done, timeoutMs);
    client.on("ready", done);
  });
  return client.isReady;
}

CacheHandler.onCreation(({ buildId }) => {
  // `next build` never reaches Redis (nothing at build time may depend on a server): what
  // it prerenders is kept in memory for the build, and rendered again on first request.
  if (!inRedis()) return { handlers: [createLruHandler()] };
  const keyPrefix = `${process.env.CACHE_KEY_PREFIX ?? ""}next:${buildId ?? "unknown"}:`;
  const client = redisClient();
  const redis = createRedisHandler({ client, keyPrefix, timeoutMs: REDIS_TIMEOUT_MS });
  return { handlers: [storedOnlyIfFresh(withoutNotFound(redis), client, keyPrefix)] };
});

/** A page rendered as the 404 page, or the CMS's 404 answer fetched for one. */
export function isNotFound(value) {
  const entry = value?.value;
  if (entry?.kind === "APP_PAGE" || entry?.kind === "PAGES") return entry.status === 404;
  if (entry?.kind === "FETCH") return entry.data?.status === 404;
  return false;
}

/** `handler`, storing nothing that isNotFound. */
function withoutNotFound(handler) {
  return {
    ...handler,
    name: `${handler.name} without 404s`,
    async set(key, value, ctx) {
      if (isNotFound(value)) return;
      await handler.set(key, value, ctx);
    },
  };
}

/** How many keys' lookups a process remembers (storedOnlyIfFresh): a store whose lookup was
 * forgotten is dropped, so this bounds memory under a flood of unknown paths, not freshness. */
const LOOKUPS_REMEMBERED = 10_000;
/** How long a lookup's mark dates the next store of its key: longer than a render or fetch
 * takes (lib/cms.ts gives each request to the CMS 10 s), so that a later lookup of the same
 * key does not redate a store still in flight. */
const LOOKUP_DATES_MS = 30_000;
/** How long a revalidation counts as running if its process dies before it ends. */
const REVALIDATION_HELD_MS = 60_000;

/**
 * `handler`, keeping nothing rendered from data older than a revalidation, as the CMS's
 * document cache does (cms/publishing/cache.py). Next.js dates an entry by when it is
 * stored, not by when its data was read: a render begun before a change and stored after
 * its revalidation would otherwise be served, stale, until the page's `revalidate` (an
 * hour), on every instance sharing the cache.
 *
 * A revalidation, on any instance, lists itself in `<keyPrefix>revalidations-running` and
 * writes a new random mark to `<keyPrefix>last-revalidation` before it drops keys, and
 * writes another once they are dropped (random marks, not a counter: one evicted and
 * counted up again could come back to a value read before). Each lookup reads the mark
 * beside the entry, and dates nothing while a revalidation runs (what it renders could read
 * an entry not yet dropped). A store reads the mark again once written and drops the entry
 * if it changed since its key's lookup: either a revalidation's mark comes before that read
 * (dropped here) or its scan for keys comes after the write (it drops the entry itself).
 *
 * Next.js looks a key up before it renders the page or fetches the data; a page's lookup,
 * render and store run one at a time per key and process, but a fetch whose cached answer
 * went stale is fetched again in the background while other requests look it up, so a
 * lookup keeps the mark of an earlier one of the same key for LOOKUP_DATES_MS. A store that
 * spans a revalidation of anything is answered but not kept: the next request renders
 * again. Where Redis does not answer, nothing is stored.
 */
export function storedOnlyIfFresh(handler, client, keyPrefix) {
  const markKey = `${keyPrefix}last-revalidation`;
  const runningKey = `${keyPrefix}revalidations-running`;
  const redis = () => client.withAbortSignal(AbortSignal.timeout(REDIS_TIMEOUT_MS));
  /** Cache key → {mark, at}: the mark read by its oldest lookup not yet followed by a
   * store, and when (performance.now()); oldest lookup first. */
  const markAtLookup = new Map();

  async function dateLookup(key) {
    const dated = markAtLookup.get(key);
    if (dated && performance.now() - dated.at < LOOKUP_DATES_MS) return;
    markAtLookup.delete(key);
    const [seen, running] = await redis().multi().get(markKey)
      .zCount(runningKey, Date.now(), "+inf").exec().catch(() => [undefined, 1]);
    if (running > 0) return;
    markAtLookup.set(key, { mark: seen, at: performance.now() });
    if (markAtLookup.size > LOOKUPS_REMEMBERED) {
      markAtLookup.delete(markAtLookup.keys().next().value);
    }
  }

  return {
    ...handler,
    name: `${handler.name}, stored only if fresh`,
    async get(key, ctx) {
      const [entry] = await Promise.all([handler.get(key, ctx), dateLookup(key)]);
      return entry;
    },
    async set(key, value, ctx) {
      const dated = markAtLookup.get(key);
      markAtLookup.delete(key);
      if (!dated) return;
      try {
        await handler.set(key, value, ctx);
      } finally {
        // Also when the write timed out: Redis may still carry it out.
        const now = await redis().get(markKey).catch(() => undefined);
        if (now !== dated.mark) await redis().unlink(`${keyPrefix}${key}`);
      }
    },
    async revalidateTag(tag) {
      // Sent, not awaited, before the drop: Redis runs one connection's commands in the order
      // sent, so the mark precedes the drop's scan at no round trip's cost (POST
      // /api/revalidate has answered already, and the HTTP cache is being purged).
      const self = randomUUID();
      const now = Date.now();
      const marked = redis().multi().zRemRangeByScore(runningKey, "-inf", now)
        .zAdd(runningKey, { score: now + REVALIDATION_HELD_MS, value: self })
        .set(markKey, randomUUID()).exec();
      try {
        await Promise.all([marked, handler.revalidateTag(tag)]);
      } finally {
        await redis().multi().set(markKey, randomUUID()).zRem(runningKey, self).exec();
      }
    },
  };
}

export default CacheHandler;
