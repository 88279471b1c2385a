import {
  MongoClientClosedError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

// MongoNetworkError covers its subclasses too (timeouts, a pool cleared after a server went away).
const UNAVAILABLE = [
  MongoServerSelectionError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoTopologyClosedError,
  MongoServerClosedError,
  MongoClientClosedError,
];

/**
 * True when the driver could not reach the database (no server to select, the connection
 * dropped, the client closed), as opposed to an error the server answered (a bad query, a
 * duplicate key, a write conflict), which is a fault: the global DependencyUnavailableFilter
 * answers the first 503, the second 500. Mongoose's "buffering timed out" is
 * not among them: with bufferCommands: false (DatabaseModule) nothing is ever buffered.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  return UNAVAILABLE.some((type) => err instanceof type);
}
