import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { matchesApiKey } from '../http/api-key.guard';
import { createHash } from 'node:crypto';
import { INGEST_QUEUE } from './queue-names';

/** Bull Board at /queues; behind X-API-Key when API_KEYS is set (it is plain express, not a Nest route). */
function requireApiKey(apiKeys: string[]) {
  const keys = apiKeys.map((k) => createHash('sha256').update(k, 'utf8').digest());
  return (req: Request, res: Response, next: NextFunction) => {
    if (keys.length === 0) return next();
    const header = req.headers['x-api-key'];
    if (header === undefined || header === '') return res.status(401).json({ statusCode: 401, message: 'Missing X-API-Key header', error: 'Unauthorized' });
    if (Array.isArray(header) || !matchesApiKey(header, keys)) return res.status(403).json({ statusCode: 403, message: 'Invalid API key', error: 'Forbidden' });
    return next();
  };
}

@Module({})
export class QueueDashboardModule {
  /** `apiKeys` are read when the app is assembled, like the rest of the configuration. */
  static register(apiKeys: string[]): DynamicModule {
    return {
      module: QueueDashboardModule,
      imports: [
        BullBoardModule.forRoot({ route: '/queues', adapter: ExpressAdapter, middleware: requireApiKey(apiKeys) }),
        BullBoardModule.forFeature({ name: INGEST_QUEUE, adapter: BullAdapter }),
      ],
    };
  }
}
