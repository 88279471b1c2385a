import { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { refuseCrossSiteWrites } from './cross-site';
import { DependencyUnavailableFilter } from './dependency-unavailable';
import { serveDashboard } from './dashboard-assets';
import { applyServerTimeouts } from './server-timeouts';
import { createValidationPipe } from './validation';

function refuseProtoKeys(key: string, value: unknown) {
  if (key === '__proto__') throw new SyntaxError('"__proto__" is not allowed as a JSON key');
  return value;
}

/** Everything main.ts and the e2e tests must set up identically on the HTTP app. */
export function configureHttpApp(app: NestExpressApplication): INestApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  applyServerTimeouts(app.getHttpServer(), config);
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'extended');
  // "__proto__" as a JSON key is refused outright (400) rather than silently dropped.
  app.useBodyParser('json', { limit: '100kb', reviver: refuseProtoKeys });
  // The app speaks plain HTTP (TLS ends at a proxy, if any): upgrading the page's requests
  // to https would break it whenever it is opened by a name other than localhost.
  const noUpgrade = { 'upgrade-insecure-requests': null };
  const strict = helmet({ contentSecurityPolicy: { directives: noUpgrade } });
  // Swagger UI needs inline scripts/styles; everything else (the dashboard at /) does without.
  const swaggerUi = helmet({
    contentSecurityPolicy: {
      directives: { ...noUpgrade, 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'", 'https:'] },
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/docs') ? swaggerUi : strict)(req, res, next));
  const origins = (config.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // Before every route, Nest's and the plain-express ones (Bull Board's retry/clean actions).
  app.use(refuseCrossSiteWrites(origins));
  serveDashboard(app);
  if (origins.length > 0) app.enableCors({ origin: origins });

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DependencyUnavailableFilter(app.get(HttpAdapterHost).httpAdapter));

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
