// node scripts/database-settings.mjs MONGODB_URI — server parameters the app relies on, set
// at run time (they do not survive a restart, so whoever starts a server runs this after):
// scripts/services.sh for the local server, test/support/private-database.ts for the fault
// drill's. Production's mongod gets the same values on its command line (docker-compose.yml).
import { MongoClient } from 'mongodb';

const SERVER_PARAMETERS = {
  // A worker killed inside a chunk's transaction leaves it open on the server, holding its
  // rows against the re-delivered chunk until the server aborts it (MongoDB's default: 60 s).
  // Chunk transactions take well under a second and a finalize bucket a few seconds.
  transactionLifetimeLimitSeconds: 20,
};

const client = await MongoClient.connect(process.argv[2], { serverSelectionTimeoutMS: 10_000 });
try {
  await client.db('admin').command({ setParameter: 1, ...SERVER_PARAMETERS });
} finally {
  await client.close();
}
