import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../../src/app.module';
import { AppRole } from '../../src/core/config/app-config';
import { configureHttpApp } from '../../src/core/http/configure-app';

/**
 * A database name of its own per test file, so suites never see each other's data; named
 * after the run (test/global-setup.ts) so the run's teardown can drop it.
 */
export function isolatedMongoUri(suite: string): string {
  const base = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027/influencer?directConnection=true');
  base.pathname = `/t_${process.env.TEST_RUN_ID ?? 'adhoc'}_${suite}_${randomBytes(3).toString('hex')}`;
  return base.toString();
}

/**
 * Boots the real application (the real database, Redis, Bull) on an ephemeral port.
 * `env` overrides process.env for this app only.
 */
export async function startTestApp(env: Record<string, string | undefined> = {}, role: AppRole = 'all') {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ role })] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    return app;
  } finally {
    process.env = saved;
  }
}
