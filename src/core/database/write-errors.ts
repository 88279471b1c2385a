const DUPLICATE_KEY = 11000;

type WriteError = { code: number; index: number };

/**
 * For a failed unordered insert: the indexes of the documents refused as duplicate keys,
 * or null when anything else went wrong (the caller rethrows). Insert-only writes use it
 * to treat "already there" as success, which makes re-delivered work idempotent.
 */
export function duplicateKeyIndexes(err: unknown): number[] | null {
  const e = err as { code?: number; writeErrors?: WriteError[] | WriteError };
  const list = e.writeErrors === undefined ? [] : Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
  if (list.length === 0) return e.code === DUPLICATE_KEY ? [] : null;
  return list.every((w) => w.code === DUPLICATE_KEY) ? list.map((w) => w.index) : null;
}
