/** The types of cache-handler.mjs's exports that TypeScript code uses. */
export function sharedCacheReady(timeoutMs?: number): Promise<boolean>;
export function isNotFound(value: unknown): boolean;

/** `handler`, keeping nothing rendered from data older than a revalidation (see the .mjs). */
export function storedOnlyIfFresh(
  handler: import("@fortedigital/nextjs-cache-handler").Handler,
  client: import("@redis/client").RedisClientType,
  keyPrefix: string,
): import("@fortedigital/nextjs-cache-handler").Handler;
