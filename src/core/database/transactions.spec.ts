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
});
