/** The types of cache-handler.mjs's exports that TypeScript code uses. */
export function sharedCacheReady(timeoutMs?: number): Promise<boolean>;
export function isNotFound(value: unknown): boolean;
