import { MongoClient } from 'mongodb';

/**
 * Drops the databases this run's suites created (`t_<run>_…`), so repeated runs against a
 * long-lived local server do not pile them up. Another run's databases are left alone.
 */
export default async function globalTeardown() {
  const run = process.env.TEST_RUN_ID;
  if (!run) return;
  const client = await MongoClient.connect(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/influencer?directConnection=true', {
    serverSelectionTimeoutMS: 3000,
  }).catch(() => null);
  if (!client) return; // the services are gone already: nothing to tidy
  try {
    const { databases } = await client.db().admin().listDatabases({ nameOnly: true });
    for (const { name } of databases) if (name.startsWith(`t_${run}_`)) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
