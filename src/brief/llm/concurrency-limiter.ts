/** Why no slot was handed out: every slot busy and the queue full, or none freed up in time. */
export class NoSlotError extends Error {}

/**
 * At most `limit` holders at once; up to `maxQueue` more wait in arrival order. A freed
 * slot passes straight to the oldest waiter, so a newcomer never overtakes the queue.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly limit: number,
    readonly maxQueue: number,
  ) {}

  /** Resolves to the function that gives the slot back (idempotent). */
  async acquire(maxWaitMs: number): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    if (this.waiting.length >= this.maxQueue) {
      throw new NoSlotError(`all ${this.limit} slots are in use and ${this.waiting.length} calls are already waiting`);
    }
    if (maxWaitMs <= 0) throw new NoSlotError(`all ${this.limit} slots are in use and no time is left to wait`);
    await new Promise<void>((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new NoSlotError(`no slot freed up within the ${maxWaitMs} ms left`));
      }, maxWaitMs);
      this.waiting.push(waiter);
    });
    return this.releaser();
  }

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}
