import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

const DEADLINE = Symbol('briefDeadline');
type WithDeadline = Request & { [DEADLINE]?: number };

/** BriefRetryInterceptor fixes one deadline per request, before the first attempt. */
export function setBriefDeadline(req: Request, deadline: number): void {
  (req as WithDeadline)[DEADLINE] = deadline;
}

/** The request's deadline (epoch ms) as a handler parameter; unbounded if no interceptor set one. */
export const BriefDeadline = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): number => ctx.switchToHttp().getRequest<WithDeadline>()[DEADLINE] ?? Number.POSITIVE_INFINITY,
);
