// @vitest-environment node
import createRedisHandler from "@fortedigital/nextjs-cache-handler/redis-strings";
import { createClient } from "@redis/client";
import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { sharedCacheReady, storedOnlyIfFresh } from "@/cache-handler.mjs";

const state = globalThis as { mortarCacheRedis?: { destroy(): void } };

afterEach(() => {
  state.mortarCacheRedis?.destroy();
  delete state.mortarCacheRedis;
  vi.unstubAllEnvs();
});

describe("the shared cache's readiness (POST /api/revalidate asks it first)", () => {
  it("is ready without Redis: Next.js's own cache takes every revalidation", async () => {
    vi.stubEnv("REDIS_URL", "");
    expect(await sharedCacheReady()).toBe(true);
  });

  it("is not ready while its Redis cannot be reached, after the wait it is given", async () => {
    // A port nothing listens on: connections are refused.
    vi.stubEnv("REDIS_URL", "redis://127.0.0.1:1");
    vi.stubEnv("NODE_ENV", "production");
    const started = performance.now();
    expect(await sharedCacheReady(200)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });
});

// The Redis `make test` runs against (TEST_REDIS_URL), under keys of this run's own.
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379/0";

describe("an entry rendered across a revalidation (two renderers sharing Redis)", () => {
  const client = createClient({ url: redisUrl });
  const keyPrefix = `vitest-${randomUUID()}:`;
  const renderer = () => storedOnlyIfFresh(
    createRedisHandler({ client, keyPrefix, timeoutMs: 1000 }), client, keyPrefix);
  const [first, second] = [renderer(), renderer()];
  const lookup = { implicitTags: [] };
  /** An entry as Next.js stores it, tagged with the path it shows. */
  const rendered = (body: string, path: string) => ({
    lastModified: Date.now(),
    lifespan: null,
    tags: [`path:localhost:${path}`],
    value: { kind: "FETCH", revalidate: 3600, data: { headers: {}, body, status: 200, url: "" } },
  });

  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length) await client.unlink(keys);
    client.destroy();
  });

  it("is not kept when the revalidation came while it was rendered", async () => {
    expect(await first.get("about", lookup)).toBeNull(); // a miss: the render begins
    await second.revalidateTag("path:localhost:/about/"); // the change, told to the other
    await first.set("about", rendered("before the change", "/about/"), {});
    expect(await first.get("about", lookup)).toBeNull();
    expect(await second.get("about", lookup)).toBeNull();
  });

  it("is kept when nothing was revalidated while it was rendered", async () => {
    expect(await first.get("team", lookup)).toBeNull();
    await first.set("team", rendered("the team", "/team/"), {});
    expect((await second.get("team", lookup))?.value.data.body).toBe("the team");
  });

  it("is kept when only what it does not show was revalidated while it was rendered", async () => {
    expect(await first.get("jobs", lookup)).toBeNull();
    await second.revalidateTag("path:localhost:/not-jobs/");
    await first.set("jobs", rendered("the jobs", "/jobs/"), {});
    expect((await second.get("jobs", lookup))?.value.data.body).toBe("the jobs");
  });

  it("is not kept when a path was revalidated while it was rendered", async () => {
    // Data entries do not carry the path tags (revalidatePath) of the pages that fetch them.
    expect(await first.get("events", lookup)).toBeNull();
    await second.revalidateTag("_N_T_/events");
    await first.set("events", rendered("before the change", "/events/"), {});
    expect(await second.get("events", lookup)).toBeNull();
  });

  it("is not kept when its lookup came while a revalidation ran", async () => {
    // The other renderer's revalidation held after its first score, then again after its drop
    // of keys: a render looked up in between could read an entry about to be dropped, and
    // store it after the drop but before the revalidation's closing score.
    const gate = () => {
      let open!: () => void;
      let reached!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      const arrived = new Promise<void>((resolve) => (reached = resolve));
      return { open, opened, reached, arrived };
    };
    const [beforeDrop, afterDrop] = [gate(), gate()];
    const inner = createRedisHandler({ client, keyPrefix, timeoutMs: 1000 });
    const holding = storedOnlyIfFresh({
      ...inner,
      async revalidateTag(tag: string) {
        beforeDrop.reached();
        await beforeDrop.opened;
        await inner.revalidateTag(tag);
        afterDrop.reached();
        await afterDrop.opened;
      },
    }, client, keyPrefix);
    const revalidation = holding.revalidateTag("path:localhost:/news/");
    await beforeDrop.arrived;
    expect(await first.get("news", lookup)).toBeNull();
    beforeDrop.open();
    await afterDrop.arrived;
    await first.set("news", rendered("read while the revalidation ran", "/news/"), {});
    afterDrop.open();
    await revalidation;
    expect(await second.get("news", lookup)).toBeNull();
  });

  // A hole left open (web/cache-handler.mjs): dating each render's own lookup would close it;
  // dating every store by the key's oldest lookup for 30 s did, but left a page uncached for
  // up to 30 s after each change.
  it.fails("is not kept when a later lookup came after the revalidation it spans", async () => {
    // Renders of two pages fetch one key: the first stores, then a revalidation, then a
    // third render looks the key up; the second, which read the old data, stores last.
    expect(await first.get("menu", lookup)).toBeNull();
    await first.set("menu", rendered("the menu", "/menu/"), {});
    await second.revalidateTag("path:localhost:/menu/");
    await first.get("menu", lookup);
    await first.set("menu", rendered("read before the change", "/menu/"), {});
    expect(await second.get("menu", lookup)).toBeNull();
  });

  it("is not kept when Redis lost the scores it must be checked against", async () => {
    // Emptied, restarted or evicted between the revalidation and the store.
    expect(await first.get("faq", lookup)).toBeNull();
    await second.revalidateTag("path:localhost:/faq/");
    await client.unlink(`${keyPrefix}revalidated-tags`);
    await first.set("faq", rendered("before the change", "/faq/"), {});
    expect(await second.get("faq", lookup)).toBeNull();
  });

  it("is not kept when a later lookup of its key came after the revalidation", async () => {
    // A fetch gone stale is fetched again in the background while requests look it up.
    await first.get("feed", lookup);
    await second.revalidateTag("path:localhost:/feed/");
    await first.get("feed", lookup);
    await first.set("feed", rendered("fetched before the change", "/feed/"), {});
    expect(await second.get("feed", lookup)).toBeNull();
  });

  it("is not kept without a lookup to date it", async () => {
    await first.set("contact", rendered("undated", "/contact/"), {});
    expect(await second.get("contact", lookup)).toBeNull();
  });
});

/** A TCP proxy to Redis on a port of its own, whose connections `cut` resets at once (as a
 * Redis restart or a dropped link would); new connections go through again. */
async function proxyTo(url: string): Promise<{ url: string; cut(): void; close(): void }> {
  const target = new URL(url);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined); // the cut's resets
  };
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 6379), target.hostname);
    track(inbound);
    track(outbound);
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(url); // its credentials and database kept
  proxied.hostname = "127.0.0.1";
  proxied.port = String((server.address() as net.AddressInfo).port);
  return {
    url: proxied.toString(),
    cut: () => sockets.forEach((socket) => socket.resetAndDestroy()),
    close: () => server.close(),
  };
}

describe("a revalidation while the shared cache's connection is lost", () => {
  it("is tried again once it is back, not lost behind the CMS's 200", async () => {
    const proxy = await proxyTo(redisUrl);
    // As the renderer's client (redisClient): commands refused at once while disconnected.
    const client = createClient({ url: proxy.url, disableOfflineQueue: true,
                                  socket: { reconnectStrategy: () => 100 } });
    client.on("error", () => undefined); // the cut, and any reconnection that fails
    const direct = createClient({ url: redisUrl });
    const keyPrefix = `vitest-${randomUUID()}:`;
    const renderer = storedOnlyIfFresh(
      createRedisHandler({ client, keyPrefix, timeoutMs: 1000 }), client, keyPrefix);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await Promise.all([client.connect(), direct.connect()]);
      expect(await renderer.get("news", { implicitTags: [] })).toBeNull();
      await renderer.set("news", {
        lastModified: Date.now(), lifespan: null, tags: ["path:localhost:/news/"],
        value: { kind: "FETCH", revalidate: 3600,
                 data: { headers: {}, body: "before the change", status: 200, url: "" } },
      }, {});
      expect(await direct.exists(`${keyPrefix}news`)).toBe(1);
      const lost = new Promise((resolve) => client.once("error", resolve));
      proxy.cut();
      await lost; // the client knows: its next commands are refused until it reconnects
      expect(client.isReady).toBe(false);
      await renderer.revalidateTag("path:localhost:/news/");
      expect(await direct.exists(`${keyPrefix}news`)).toBe(0);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(
        'the revalidation of "path:localhost:/news/" failed'));
    } finally {
      warn.mockRestore();
      const keys = await direct.keys(`${keyPrefix}*`);
      if (keys.length) await direct.unlink(keys);
      client.destroy();
      direct.destroy();
      proxy.close();
    }
  });
});
