import { clientSafeMessage } from './client-safe-message';

describe('clientSafeMessage', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:6379', 'connect ECONNREFUSED [host]'],
    ['connect ECONNREFUSED ::1:6379', 'connect ECONNREFUSED [host]'],
    ['connect ETIMEDOUT 10.0.3.17:27017', 'connect ETIMEDOUT [host]'],
    ['getaddrinfo ENOTFOUND redis.internal.example.com', 'getaddrinfo ENOTFOUND [host]'],
    ['querySrv ENOTFOUND _mongodb._tcp.cluster0.ab1cd.mongodb.net', 'querySrv ENOTFOUND [host]'],
    [
      'Server selection timed out after 30000 ms: connect ECONNREFUSED 127.0.0.1:27027',
      'Server selection timed out after 30000 ms: connect ECONNREFUSED [host]',
    ],
    ['connection 5 to [::1]:27017 timed out', 'connection 5 to [host] timed out'],
    ['connection <monitor> to 172.18.0.4:27017 closed', 'connection <monitor> to [host] closed'],
    ['Could not connect to mongo-0.mongo:27017 in time', 'Could not connect to [host] in time'],
    ['Redis unavailable at localhost:6389', 'Redis unavailable at [host]'],
    ['failed to connect to mongodb://app:s3cret@db.internal:27017/influencer?authSource=admin', 'failed to connect to [host]'],
    ['Error: Connection is closed. (redis://:hunter2@cache:6379/0)', 'Error: Connection is closed. ([host])'],
  ])('hides the address in %j', (raw, shown) => {
    expect(clientSafeMessage(raw)).toBe(shown);
  });

  it.each([
    'Reached the max retries per request limit (which is 20). Refer to "maxRetriesPerRequest" option for details.',
    'The worker stopped: 3 of 12 chunks were not written (upload.csv, line 1204)',
    'Stalled at 12:30:45 for 90 s',
    'Topology is closed',
  ])('leaves a message without addresses as it is: %j', (msg) => {
    expect(clientSafeMessage(msg)).toBe(msg);
  });
});
