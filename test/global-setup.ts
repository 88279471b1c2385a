import { randomBytes } from 'node:crypto';

/** One id per test run: every suite's database is named after it (see isolatedMongoUri). */
export default function globalSetup() {
  process.env.TEST_RUN_ID = randomBytes(3).toString('hex');
}
