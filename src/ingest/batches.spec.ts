import { batchesByWeight } from './batches';

describe('batchesByWeight', () => {
  const w = (n: number) => n;

  it('groups consecutive items until the next would pass the weight', () => {
    expect(batchesByWeight([5, 5, 5, 1, 9, 2], w, 10, 100)).toEqual([[5, 5], [5, 1], [9], [2]]);
  });

  it('never puts more than maxItems in a group', () => {
    expect(batchesByWeight([0, 0, 0, 0, 0], w, 10, 2)).toEqual([[0, 0], [0, 0], [0]]);
  });

  it('gives an item heavier than the limit a group of its own', () => {
    expect(batchesByWeight([1, 50, 1], w, 10, 100)).toEqual([[1], [50], [1]]);
  });

  it('keeps every item once, in order', () => {
    const items = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 97);
    expect(batchesByWeight(items, w, 300, 40).flat()).toEqual(items);
    expect(batchesByWeight([], w, 10, 10)).toEqual([]);
  });
});
