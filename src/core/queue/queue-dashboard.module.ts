import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, HttpException, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeyVerifier } from '../http/api-key-verifier';
import { INGEST_QUEUE } from './queue-names';

/** Bull Board is plain express, not a Nest route: the API-key rule is applied as middleware. */
function requireApiKey(verifier: ApiKeyVerifier) {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      verifier.verify(req.headers['x-api-key']);
      next();
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      res.status(err.getStatus()).json(err.getResponse());
    }
  };
}

@Module({})
export class QueueDashboardModule {
  /** `apiKeys` are read when the app is assembled, like the rest of the configuration. */
  static register(apiKeys: string[]): DynamicModule {
    return {
      module: QueueDashboardModule,
      imports: [
        BullBoardModule.forRoot({ route: '/queues', adapter: ExpressAdapter, middleware: requireApiKey(new ApiKeyVerifier(apiKeys)) }),
        BullBoardModule.forFeature({ name: INGEST_QUEUE, adapter: BullAdapter }),
      ],
    };
  }
}
