import { ArgumentsHost, BadRequestException, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { clientError, DependencyUnavailableError, DependencyUnavailableFilter, RETRY_AFTER_S } from './dependency-unavailable';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6389'), { code: 'ECONNREFUSED' });

/** Runs the filter on `exception`; returns what was sent: status, body, headers. */
function answer(exception: unknown, headers: Record<string, string> = {}) {
  const sent: { status?: number; body?: Record<string, unknown> } = {};
  const res = {
    headersSent: false,
    hasHeader: (name: string) => name in headers,
    setHeader: (name: string, value: string) => void (headers[name] = value),
  };
  const adapter = {
    isHeadersSent: () => false,
    reply: (_res: unknown, body: Record<string, unknown>, status: number) => Object.assign(sent, { body, status }),
    end: () => undefined,
  } as unknown as HttpServer;
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => res }),
    getArgByIndex: () => res,
  } as unknown as ArgumentsHost;
  new DependencyUnavailableFilter(adapter).catch(exception, host);
  return { ...sent, headers };
}

describe('DependencyUnavailableFilter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('answers a database that cannot be reached with 503, Retry-After and a message that names no host', () => {
    const res = answer(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27027'));
    expect(res.status).toBe(503);
    expect(res.headers['Retry-After']).toBe(String(RETRY_AFTER_S));
    expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The database is unavailable; try again shortly' });
  });

  it('answers Redis that cannot be reached the same way', () => {
    const res = answer(refused());
    expect(res.status).toBe(503);
    expect(res.headers['Retry-After']).toBe(String(RETRY_AFTER_S));
    expect(res.body?.message).toBe('Redis is unavailable; try again shortly');
  });

  it('adds what the caller could still tell to the 503', () => {
    const res = answer(new DependencyUnavailableError('database', { live: { rowsWritten: 7 } }, { cause: new MongoNetworkError('x') }));
    expect(res.body).toMatchObject({
      statusCode: 503,
      message: 'The database is unavailable; try again shortly',
      live: { rowsWritten: 7 },
    });
  });

  it('gives every other 503 a Retry-After, unless it set its own', () => {
    expect(answer(new ServiceUnavailableException('The ingest queue cannot take work right now')).headers['Retry-After']).toBe(
      String(RETRY_AFTER_S),
    );
    expect(answer(new ServiceUnavailableException('busy'), { 'Retry-After': '30' }).headers['Retry-After']).toBe('30');
  });

  it('leaves the rest to Nest: a 4xx as it is, any other error a bare 500', () => {
    expect(answer(new BadRequestException('limit must be an integer'))).toMatchObject({ status: 400, headers: {} });
    jest.spyOn(Logger, 'error').mockImplementation(() => undefined);
    const fault = answer(new MongoServerError({ code: 2, errmsg: 'BadValue at 10.0.0.3:27017' }));
    expect(fault.status).toBe(500);
    expect(fault.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });
});

describe('clientError', () => {
  it('tells a client only what is ours to say', () => {
    expect(clientError(new MongoNetworkError('connection 3 to 127.0.0.1:27027 closed'))).toEqual({
      status: 503,
      message: 'The database is unavailable; try again shortly',
    });
    expect(clientError(refused())).toEqual({ status: 503, message: 'Redis is unavailable; try again shortly' });
    expect(clientError(new BadRequestException('bad id'))).toEqual({ status: 400, message: 'bad id' });
    expect(clientError(new Error('ECONNRESET 10.1.2.3:6379 in some library'))).toEqual({ status: 500, message: 'Internal server error' });
  });
});
