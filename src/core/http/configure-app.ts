import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { EnvironmentVariables } from '../config/environment';
import { createValidationPipe } from './validation';

function refuseProtoKeys(key: string, value: unknown) {
  if (key === '__proto__') throw new SyntaxError('"__proto__" is not allowed as a JSON key');
  return value;
}

/** Everything main.ts and the e2e tests must set up identically on the HTTP app. */
export function configureHttpApp(app: NestExpressApplication): INestApplication {
  const config = app.get<ConfigService<EnvironmentVariables, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'extended');
  // "__proto__" as a JSON key is refused outright (400) rather than silently dropped.
  app.useBodyParser('json', { limit: '100kb', reviver: refuseProtoKeys });
  app.use(
    helmet({
      // Swagger UI needs inline scripts/styles on /docs only.
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'", 'https:'] },
      },
    }),
  );
  const origins = (config.get('CORS_ORIGINS', { infer: true }) ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins });

  app.useGlobalPipes(createValidationPipe());

  const doc = new DocumentBuilder()
    .setTitle('Influencer marketing API')
    .setDescription(
      'CSV engagement ingest, top performers per campaign, and AI-written creator briefs. ' +
        'When the server has API_KEYS set, send one in the X-API-Key header (Authorize button).',
    )
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
    .addSecurityRequirements('api-key')
    .build();
  const document = SwaggerModule.createDocument(app, doc);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true, tryItOutEnabled: true },
  });
  return app;
}
