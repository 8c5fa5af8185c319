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
 * would keep serving what another instance's revalidation had dropped.
 */
import { CacheHandler } from "@fortedigital/nextjs-cache-handler";
import createLruHandler from "@fortedigital/nextjs-cache-handler/local-lru";
import createRedisHandler from "@fortedigital/nextjs-cache-handler/redis-strings";
import { createClient } from "@redis/client";
import { PHASE_PRODUCTION_BUILD } from "next/constants.js";

/** One client per process: Next.js may construct the handler more than once. */
function redisClient() {
  if (!globalThis.mortarCacheRedis) {
    const client = createClient({ url: process.env.REDIS_URL, pingInterval: 10_000 });
    // Logged, not thrown: node-redis reconnects by itself, and reads miss meanwhile.
    client.on("error", (error) => console.warn(`renderer cache: Redis: ${error.message}`));
    client.connect().catch((error) => console.warn(`renderer cache: ${error.message}`));
    globalThis.mortarCacheRedis = client;
  }
  return globalThis.mortarCacheRedis;
}

CacheHandler.onCreation(({ buildId }) => {
  // `next build` never reaches Redis (nothing at build time may depend on a server): what
  // it prerenders is kept in memory for the build, and rendered again on first request.
  if (process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD || !process.env.REDIS_URL) {
    return { handlers: [createLruHandler()] };
  }
  const keyPrefix = `${process.env.CACHE_KEY_PREFIX ?? ""}next:${buildId ?? "unknown"}:`;
  return { handlers: [createRedisHandler({ client: redisClient(), keyPrefix, timeoutMs: 2000 })] };
});

export default CacheHandler;
