import type { DynamicModule, ModuleMetadata, Provider } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { AppConfig, validateEnvironment } from '../../src/core/config/app-config';
import { DatabaseIndexes } from '../../src/core/database/database-indexes';
import { DatabaseModule } from '../../src/core/database/database.module';
import { RedisModule } from '../../src/core/redis/redis.module';
import { isolatedMongoUri } from './test-app';

class TestConfigModule {}

function testingModule(metadata: ModuleMetadata, env: Record<string, string> = {}): Promise<TestingModule> {
  const config: DynamicModule = {
    module: TestConfigModule,
    global: true,
    providers: [{ provide: AppConfig, useValue: validateEnvironment({ ...process.env, ...env }) }],
    exports: [AppConfig],
  };
  return Test.createTestingModule({ ...metadata, imports: [config, RedisModule, ...(metadata.imports ?? [])] }).compile();
}

/**
 * A repository over the real database the tests use (the shared server `npm test` starts),
 * wired as the app wires it: DatabaseModule's connection and options, the feature's schemas
 * with their indexes built (as autoIndex does at start-up). The database is this file's own
 * (isolatedMongoUri), dropped by the run's teardown.
 */
export async function repositoryModule(suite: string, metadata: { imports: ModuleMetadata['imports']; providers: Provider[] }) {
  const moduleRef = await testingModule(
    { imports: [DatabaseModule, ...(metadata.imports ?? [])], providers: metadata.providers },
    { MONGODB_URI: isolatedMongoUri(suite) },
  );
  await moduleRef.init();
  await moduleRef.get(DatabaseIndexes).built();
  return { moduleRef, db: moduleRef.get<Connection>(getConnectionToken()).db! };
}

/** A repository over the real Redis, RedisModule's client, on this test file's own QUEUE_PREFIX (test/setup-env.ts). */
export async function redisRepositoryModule(providers: Provider[]) {
  const moduleRef = await testingModule({ providers });
  await moduleRef.init();
  return moduleRef;
}
