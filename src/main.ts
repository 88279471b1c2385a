import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { validateEnvironment } from './core/config/app-config';
import { configureHttpApp } from './core/http/configure-app';

async function bootstrap() {
  // Validate before Nest starts so a bad value stops us with one clear line.
  const env = validateEnvironment(process.env);
  const module = AppModule.forRoot({ role: env.APP_ROLE });

  if (env.APP_ROLE === 'worker') {
    const ctx = await NestFactory.createApplicationContext(module, { bufferLogs: true });
    ctx.useLogger(ctx.get(Logger));
    ctx.enableShutdownHooks();
    ctx.get(Logger).log('Worker started: consuming the ingest queue');
    return;
  }

  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  configureHttpApp(app);
  await app.listen(env.PORT, env.HOST);
  app.get(Logger).log(`API (${env.APP_ROLE}) on http://${env.HOST}:${env.PORT} — dashboard at /, Swagger UI at /docs`);
}

bootstrap().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  new NestLogger('Bootstrap').error(message);
  process.exit(1);
});
