import { MongoServerError } from 'mongodb';
import { Transactions } from './transactions';

function labelled(label: string, code = 112) {
  const err = new MongoServerError({ message: `test ${label}`, code, errorLabels: [label] });
  return err;
}

/** A session whose commits fail as scripted; records what the unit of work saw. */
function fakeSession(commitFailures: Error[] = []) {
  let open = false;
  const session = {
    startTransaction: jest.fn(() => void (open = true)),
    inTransaction: () => open,
    commitTransaction: jest.fn(async () => {
      const failure = commitFailures.shift();
      if (failure) throw failure;
      open = false;
    }),
    abortTransaction: jest.fn(async () => void (open = false)),
    endSession: jest.fn(async () => undefined),
  };
  const transactions = new Transactions({ getClient: () => ({ startSession: () => session }) } as never);
  return { session, transactions };
}

describe('Transactions', () => {
  it('runs the unit again after a transient error (a write conflict), aborting the failed attempt', async () => {
    const { session, transactions } = fakeSession();
    const unit = jest.fn().mockRejectedValueOnce(labelled('TransientTransactionError')).mockResolvedValueOnce('done');
    await expect(transactions.run(unit)).resolves.toBe('done');
    expect(unit).toHaveBeenCalledTimes(2);
    expect(session.abortTransaction).toHaveBeenCalledTimes(1);
    expect(session.endSession).toHaveBeenCalled();
  });

  it('does not retry other errors', async () => {
    const { transactions } = fakeSession();
    const unit = jest.fn().mockRejectedValue(new MongoServerError({ message: 'E11000', code: 11000 }));
    await expect(transactions.run(unit)).rejects.toThrow('E11000');
    expect(unit).toHaveBeenCalledTimes(1);
  });

  it('commits again on an unknown commit result, without running the unit again', async () => {
    const { session, transactions } = fakeSession([labelled('UnknownTransactionCommitResult', 91)]);
    const unit = jest.fn().mockResolvedValue(1);
    await transactions.run(unit);
    expect(unit).toHaveBeenCalledTimes(1);
    expect(session.commitTransaction).toHaveBeenCalledTimes(2);
  });

  it('runs the unit again when the commit itself reports a transient error', async () => {
    const { transactions } = fakeSession([labelled('TransientTransactionError')]);
    const unit = jest.fn().mockResolvedValue(1);
    await transactions.run(unit);
    expect(unit).toHaveBeenCalledTimes(2);
  });

  describe('an unknown commit result that repeats', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => {
      jest.useRealTimers();
      jest.restoreAllMocks();
    });

    /** Runs a unit whose commit reports an unknown result `failures` times; returns the commits made and the waits asked for. */
    async function commitThrough(failures: number, random: number) {
      const unknown = Array.from({ length: failures }, () => labelled('UnknownTransactionCommitResult', 91));
      const { session, transactions } = fakeSession(unknown);
      jest.spyOn(Math, 'random').mockReturnValue(random);
      const waits: number[] = [];
      const fakeSetTimeout = setTimeout;
      jest.spyOn(global, 'setTimeout').mockImplementation((fn: () => void, ms?: number) => {
        waits.push(ms ?? 0);
        return fakeSetTimeout(fn, ms);
      });
      const done = transactions.run(jest.fn().mockResolvedValue('ok'));
      // With the clock held, a failed commit must not have been tried again.
      await jest.advanceTimersByTimeAsync(0);
      const commitsBeforeAnyWait = session.commitTransaction.mock.calls.length;
      await jest.runAllTimersAsync();
      await expect(done).resolves.toBe('ok');
      return { commitsBeforeAnyWait, commits: session.commitTransaction.mock.calls.length, waits };
    }

    it('commits again only after a wait that grows with each attempt, never in a tight loop', async () => {
      const { commitsBeforeAnyWait, commits, waits } = await commitThrough(12, 1);
      expect(commitsBeforeAnyWait).toBe(1);
      expect(commits).toBe(13);
      expect(waits).toHaveLength(12);
      expect(waits[1]).toBeGreaterThan(waits[0]);
      expect(waits[5]).toBeGreaterThan(waits[4]);
      // Capped: a long run of unknown results waits a bounded moment, not longer and longer.
      expect(waits[11]).toBe(waits[10]);
    });

    it('draws each wait at random up to that ceiling (full jitter), so that retrying writers spread out', async () => {
      const top = (await commitThrough(6, 1)).waits;
      jest.restoreAllMocks();
      const quarter = (await commitThrough(6, 0.25)).waits;
      expect(top).toHaveLength(6);
      expect(quarter).toEqual(top.map((w) => w * 0.25));
    });
  });
});
