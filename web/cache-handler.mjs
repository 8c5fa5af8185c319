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
 * costs a request REDIS_TIMEOUT_MS at most: connecting and each command give up after it
 * (a command already sent is answered, or fails with its connection, later), commands are
 * refused at once while disconnected, and a connection silent for REDIS_SILENCE_MS (pinged
 * every REDIS_PING_MS) is dropped and made anew.
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
/** How long a lookup's date dates the next store of its key: longer than a render or fetch
 * takes (lib/cms.ts gives each request to the CMS 10 s), so that a later lookup of the same
 * key does not redate a store still in flight. */
const LOOKUP_DATES_MS = 30_000;
/** How long after its lookup a store may still be kept; revalidated tags are remembered
 * twice as long, so every revalidation since a kept store's lookup is still known. */
const STORE_WITHIN_MS = 120_000;
/** How long a revalidation counts as running if its process dies before it ends. */
const REVALIDATION_HELD_MS = 60_000;
/** Attempts at one tag's revalidation, and the wait before the next (times the attempts so
 * far): 0.5 + 1 + 1.5 s, longer than a reconnection to Redis takes (reconnectStrategy). */
const REVALIDATION_ATTEMPTS = 4;
const REVALIDATION_RETRY_MS = 500;
/** Next.js's prefix of the tags it gives a page's path (revalidatePath). */
const IMPLICIT_TAG = "_N_T_";
/** Members of the revalidated-tags set that name it (scored +inf, never pruned): gone once
 * Redis is flushed or restarted, or the set evicted, and with them every score a store's
 * check needs, so a store whose lookup saw other ones is not kept. No tag begins so. */
const GENERATION = "\u0000generation:";

/** Lua: KEYS[1] (a sorted set) scores ARGV[1] with Redis's clock in microseconds, and forgets
 * tags scored more than ARGV[2] microseconds before. One clock for every renderer; the score
 * is passed as a string, as a Lua number would lose its last digits. */
const MARK_REVALIDATED = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - tonumber(ARGV[2])))
return 1`;

/**
 * `handler`, keeping nothing rendered from data older than a revalidation, as the CMS's
 * document cache does (cms/publishing/cache.py). Next.js dates an entry by when it is
 * stored, not by when its data was read: a render begun before a change and stored after
 * its revalidation would otherwise be served, stale, until the page's `revalidate` (an
 * hour), on every instance sharing the cache.
 *
 * A revalidation of a tag, on any instance, lists itself in `<keyPrefix>revalidations-running`
 * and scores the tag with Redis's clock in `<keyPrefix>revalidated-tags` before it drops keys,
 * and scores it again once they are dropped. A lookup reads Redis's clock and that set's
 * GENERATION beside the entry, and dates nothing while a revalidation runs (what it renders
 * could read an entry not yet dropped). A store asks, once written, which tags were scored
 * since its key's lookup, and drops the entry if one of them is its own (or a path's: a data
 * entry does not carry its page's path tags), or if the set's generation changed. Either the
 * revalidation's score comes before that question (dropped here) or its scan for keys comes
 * after the write (it drops the entry itself).
 *
 * Next.js looks a key up before it renders the page or fetches the data; a page's lookup,
 * render and store run one at a time per key and process, but a fetch whose cached answer
 * went stale is fetched again in the background while other requests look it up, so a
 * lookup keeps the date of an earlier one of the same key, not yet followed by a store, for
 * LOOKUP_DATES_MS. A store that spans a revalidation of one of its tags is answered but not
 * kept: the next request renders again. Where Redis does not answer, nothing is stored. A
 * revalidation that fails is logged and tried again, up to REVALIDATION_ATTEMPTS times: the
 * CMS has had its answer, and hears of no failure.
 *
 * Left open (tests/shared-cache.test.ts marks the first as failing): renders of two pages
 * fetching one key at once, the first storing before a revalidation and the second after it,
 * the second is dated by a lookup made after the revalidation (a store clears its key's date,
 * so that caching resumes right after a change); dating each render's own lookup would close
 * it. An entry is readable between its write and the check that drops it (one round trip).
 * Redis's clock is trusted not to step back.
 */
export function storedOnlyIfFresh(handler, client, keyPrefix) {
  const revalidatedKey = `${keyPrefix}revalidated-tags`;
  const runningKey = `${keyPrefix}revalidations-running`;
  const redis = () => client.withAbortSignal(AbortSignal.timeout(REDIS_TIMEOUT_MS));
  const mark = (multi, tag) => multi.eval(MARK_REVALIDATED, {
    keys: [revalidatedKey], arguments: [tag, String(2 * STORE_WITHIN_MS * 1000)] });
  const isGeneration = (member) => member.startsWith(GENERATION);
  /** Cache key → {since, generation, at}: Redis's clock (microseconds) and the generation at
   * its oldest lookup not yet followed by a store, and when (performance.now()); oldest
   * lookup first. */
  const dateAtLookup = new Map();

  async function dateLookup(key) {
    const dated = dateAtLookup.get(key);
    if (dated && performance.now() - dated.at < LOOKUP_DATES_MS) return;
    dateAtLookup.delete(key);
    const [time, running, generations] = await redis().multi().time()
      .zCount(runningKey, Date.now(), "+inf").zRangeByScore(revalidatedKey, "+inf", "+inf")
      .exec().catch(() => [undefined, 1, []]);
    if (running > 0 || !time) return;
    let generation = generations.join();
    if (!generation) {
      // A new set (first start, or Redis emptied) is named by the first lookup; two naming it
      // at once each see the other's name at their store, and keep nothing.
      generation = GENERATION + randomUUID();
      const named = await redis().zAdd(revalidatedKey, { score: Infinity, value: generation })
        .catch(() => undefined);
      if (named === undefined) return;
    }
    const since = Number(time[0]) * 1_000_000 + Number(time[1]);
    dateAtLookup.set(key, { since, generation, at: performance.now() });
    if (dateAtLookup.size > LOOKUPS_REMEMBERED) {
      dateAtLookup.delete(dateAtLookup.keys().next().value);
    }
  }

  /** Whether an entry tagged `own`, looked up when `dated` says, is stale by `scored` (the
   * members scored since that lookup). */
  function stale(scored, dated, own) {
    const tags = scored.filter((member) => !isGeneration(member));
    return scored.filter(isGeneration).join() !== dated.generation
      || tags.some((tag) => tag.startsWith(IMPLICIT_TAG) || own.includes(tag));
  }

  return {
    ...handler,
    name: `${handler.name}, stored only if fresh`,
    async get(key, ctx) {
      const [entry] = await Promise.all([handler.get(key, ctx), dateLookup(key)]);
      return entry;
    },
    async set(key, value, ctx) {
      const dated = dateAtLookup.get(key);
      dateAtLookup.delete(key);
      if (!dated || performance.now() - dated.at > STORE_WITHIN_MS) return;
      try {
        await handler.set(key, value, ctx);
      } finally {
        // Also when the write timed out: Redis may still carry it out.
        const scored = await redis().zRangeByScore(revalidatedKey, dated.since, "+inf")
          .catch(() => undefined);
        if (!scored || stale(scored, dated, value?.tags ?? [])) {
          await redis().unlink(`${keyPrefix}${key}`);
        }
      }
    },
    async revalidateTag(tag) {
      // Next.js runs this after POST /api/revalidate has answered the CMS, and what it throws
      // reaches no one (the fortedigital handler settles each tag's revalidation and keeps
      // its error to itself): a drop that failed (the connection lost, a command timed out)
      // would leave the tag's entries served, unsaid, while the CMS counts the change delivered.
      const self = randomUUID();
      for (let attempt = 1; ; attempt += 1) {
        try {
          await revalidateOnce(tag, self);
          return;
        } catch (error) {
          const last = attempt === REVALIDATION_ATTEMPTS;
          console.warn(`renderer cache: the revalidation of ${JSON.stringify(tag)} failed `
            + `(${error instanceof Error ? error.message : error}); ${last
              ? `given up after ${attempt} attempts: its entries stay until the tag is revalidated again or they expire`
              : "trying again"}`);
          if (last) throw error;
          await new Promise((resolve) => setTimeout(resolve, REVALIDATION_RETRY_MS * attempt));
        }
      }
    },
  };

  /** One attempt at revalidating `tag`, listed as running under `self`; throws if any part
   * failed (each part is safe to run again). */
  async function revalidateOnce(tag, self) {
    // Sent, not awaited, before the drop: Redis runs one connection's commands in the order
    // sent, so the score precedes the drop's scan at no round trip's cost (POST
    // /api/revalidate has answered already, and the HTTP cache is being purged).
    const now = Date.now();
    const marked = mark(redis().multi().zRemRangeByScore(runningKey, "-inf", now)
      .zAdd(runningKey, { score: now + REVALIDATION_HELD_MS, value: self }), tag).exec();
    // Both settled, not the first to fail: the drop may still be running.
    const done = await Promise.allSettled([marked, handler.revalidateTag(tag)]);
    // Its own failure after the drop's: the drop's reason is the one worth reading.
    const closed = await mark(redis().multi(), tag).zRem(runningKey, self).exec()
      .then(() => undefined, (error) => error ?? new Error("the closing score failed"));
    const failed = done.find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
    if (closed) throw closed;
  }
}

export default CacheHandler;
