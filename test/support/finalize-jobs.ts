import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bull';

/** Finalize jobs of `jobId` queued or running, over every ingest queue. */
export async function finalizesOf(app: INestApplicationContext, jobId: string): Promise<number> {
  let n = 0;
  for (const name of ['ingest', 'ingest-finalize']) {
    let queue: Queue;
    try {
      queue = app.get<Queue>(getQueueToken(name), { strict: false });
    } catch {
      continue;
    }
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'paused']);
    n += jobs.filter((j) => j?.name === 'finalize' && (j.data as { jobId: string }).jobId === jobId).length;
  }
  return n;
}
