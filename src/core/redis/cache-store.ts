/**
 * What a cache needs from its store, and no more: a cache that depends on this rather than
 * on Redis can be tested, or moved to another store, without touching its logic.
 */
export interface CacheStore {
  /** The stored value; undefined when there is none, or when the store cannot answer now. */
  get(key: string): Promise<unknown>;
  /** Best effort: resolves whether or not the value could be stored. */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
}

export const CACHE_STORE = Symbol('CACHE_STORE');
