import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { HttpException, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { apiKeys, AppConfig } from '../config/app-config';
import { ApiKeyVerifier } from '../http/api-key-verifier';
import { QUEUES } from './queue-names';

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

/** Bull Board at /queues, behind the same API keys as the rest. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        route: '/queues',
        adapter: ExpressAdapter,
        middleware: requireApiKey(new ApiKeyVerifier(apiKeys(config))),
      }),
    }),
    BullBoardModule.forFeature(...QUEUES.map((name) => ({ name, adapter: BullAdapter }))),
  ],
})
export class QueueDashboardModule {}
