import { afterEach, describe, expect, it, vi } from "vitest";

import { sharedCacheReady } from "@/cache-handler.mjs";

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
