/** Consecutive groups of at most `maxItems` whose weights add up to about `maxWeight`. */
export function batchesByWeight<T>(items: T[], weight: (item: T) => number, maxWeight: number, maxItems: number): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let total = 0;
  for (const item of items) {
    const w = weight(item);
    if (batch.length > 0 && (total + w > maxWeight || batch.length >= maxItems)) {
      batches.push(batch);
      batch = [];
      total = 0;
    }
    batch.push(item);
    total += w;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
