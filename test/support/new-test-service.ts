import type { InjectionToken, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { ClientSession } from 'mongodb';
import { AppConfig, validateEnvironment } from '../../src/core/config/app-config';
import { Transactions } from '../../src/core/database/transactions';

/** A class's methods as jest mocks (what every injected collaborator becomes). */
export type Mocked<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? jest.Mock<R, A> : T[K] };

/** The session handed to units of work in unit specs: a marker, nothing talks to a database. */
export const TEST_SESSION = { testSession: true } as unknown as ClientSession;

function automock(token: InjectionToken): unknown {
  if (token === Transactions) return { run: jest.fn((unit: (s: ClientSession) => Promise<unknown>) => unit(TEST_SESSION)) };
  if (typeof token !== 'function') return {};
  const mock: Record<string, jest.Mock> = {};
  for (
    let proto = token.prototype as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor' && !(name in mock)) mock[name] = jest.fn();
  }
  return mock;
}

/**
 * Builds `service` with every constructor dependency replaced by an automatic mock (each
 * method a jest.fn(), Transactions running the unit with TEST_SESSION), as immich's
 * newTestService does, so a service spec needs no server and no hand-rolled fakes.
 * AppConfig is the real thing, the defaults with `config` over them; `mocks(Token)` returns
 * the mock injected for Token.
 */
export async function newTestService<T>(service: Type<T>, opts: { config?: Partial<AppConfig> } = {}) {
  const config = validateEnvironment({ ...opts.config });
  const moduleRef = await Test.createTestingModule({ providers: [service] })
    .useMocker((token) => (token === AppConfig ? config : automock(token!)))
    .compile();
  return {
    sut: moduleRef.get(service),
    mocks: <M>(token: Type<M>) => moduleRef.get<Type<M>, Mocked<M>>(token, { strict: false }),
  };
}
