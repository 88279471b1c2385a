import { NestExpressApplication } from '@nestjs/platform-express';
import type { Express } from 'express';
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

/** public/ at the project root: three levels up from src/core/http (ts-jest) and from dist/core/http (nest build). */
const PUBLIC_DIR = join(__dirname, '..', '..', '..', 'public');
/** Chart.js's own browser build, served from node_modules: no CDN, no copy in the repository. */
const CHART_JS = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');

/**
 * The dashboard at / and its files under /assets. Plain express routes, outside Nest's
 * guards: the page itself is public and asks for an API key when the API answers 401.
 * Mounted on exact paths so that API requests never cost a file-system lookup.
 */
export function serveDashboard(app: NestExpressApplication): void {
  const express: Express = app.getHttpAdapter().getInstance();
  // no-cache: revalidated (ETag) on every load, so a new version shows up at once.
  express.get('/', (_req, res) => res.sendFile(join(PUBLIC_DIR, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }));
  express.get('/assets/vendor/chart.umd.min.js', (_req, res) => res.sendFile(CHART_JS, { maxAge: '1h' }));
  app.useStaticAssets(join(PUBLIC_DIR, 'assets'), {
    prefix: '/assets/',
    index: false,
    setHeaders: (res: ServerResponse) => res.setHeader('Cache-Control', 'no-cache'),
  });
}
