import type { NextFunction, Request, RequestHandler, Response } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses writes that a web page on another site makes a browser send (CSRF): a form or
 * a text/plain fetch needs no CORS preflight, and POST /ingest takes both. The browser
 * says where a request comes from (Origin, Sec-Fetch-Site; no page can forge either);
 * a request with neither comes from curl, a script or a server, which carry no victim's
 * cookies or network position, so it passes. API keys don't make this redundant: with
 * API_KEYS unset nothing else stands in the way.
 */
export function refuseCrossSiteWrites(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.headers['sec-fetch-site'];
    // "same-origin" first: a proxy that rewrites Host would make our own page look foreign below.
    if (site === 'same-origin') return next();
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (allowed.has(origin) || isOwnOrigin(origin, req)) return next();
      return refuse(res, req.method, `from ${origin}`);
    }
    // "none": the user's own doing (address bar, bookmark), not a page's.
    if (site === undefined || site === 'none') return next();
    return refuse(res, req.method, `from a ${site} page`);
  };
}

/** Same host and port as the request was sent to (X-Forwarded-Host when the proxy is trusted). */
function isOwnOrigin(origin: string, req: Request): boolean {
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false; // "null" (sandboxed frames, file://) and anything malformed
  }
}

function refuse(res: Response, method: string, from: string): void {
  res.status(403).json({
    statusCode: 403,
    error: 'Forbidden',
    message:
      `Cross-site request refused: a ${method} ${from} is not accepted. Send it from this server's own pages, ` +
      'from an origin listed in CORS_ORIGINS, or from a client that is not a browser (curl, scripts).',
  });
}
