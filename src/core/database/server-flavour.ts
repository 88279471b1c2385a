import type { Connection } from 'mongoose';

/**
 * True when the server is FerretDB rather than MongoDB (its buildInfo carries
 * `ferretdbVersion`). FerretDB 1.x pushes down only `_id` equality, so secondary indexes
 * there cost every insert and serve no query; callers skip the ones that exist for MongoDB.
 */
export async function isFerretDb(connection: Connection): Promise<boolean> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}
