import type { InjectionToken, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { ClientSession } from 'mongodb';
import { AppConfig, validateEnvironment } from '../../src/core/config/app-config';
import { Transactions } from '../../src/core/database/transactions';

/** A class's methods as jest mocks (what every injected collaborator becomes). */
export type Mocked<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? jest.Mock<R, A> : T[K] };

/** The session handed to units of work in unit specs: a marker, nothing talks to a database. */
export const TEST_SESSION = { testSession: true } as unknown as ClientSession;

/**
 * What the running test used without setting it up. A fake throws when that happens, but the
 * service under test may swallow the error (a best-effort call in a catch): the afterEach
 * below fails the test all the same.
 */
const unexpected: string[] = [];

/** Throws, naming them, when the test used what it did not set up; run after every test of a file that imports this. */
export function expectNothingUsedThatWasNotSetUp(): void {
  const used = unexpected.splice(0);
  if (used.length > 0) throw new Error(`The test used collaborators it did not set up: ${[...new Set(used)].join(', ')}`);
}

afterEach(expectNothingUsedThatWasNotSetUp);

function notSetUp(what: string, how: string): never {
  unexpected.push(what);
  throw new Error(`${what} ${how}, but the test did not set it up`);
}

/**
 * Reads that look for optional protocols (a thenable, a matcher, pretty-format's and
 * util.inspect's hooks) are not uses of the collaborator: they answer undefined, as on a plain object.
 */
const PROBES = new Set(['then', 'asymmetricMatch', 'toJSON', 'nodeType', 'tagName', '$$typeof', 'inspect']);
const isProbe = (prop: string) => PROBES.has(prop) || prop.startsWith('@@');

/** A method that fails until the test gives it a behaviour (mockResolvedValue, mockImplementation…). */
function strictFn(label: string): jest.Mock {
  const fn = jest.fn().mockName(label);
  const strict = () => fn.mockImplementation(() => notSetUp(label, 'was called'));
  const reset = fn.mockReset.bind(fn);
  // mockReset would otherwise leave a lenient fn that answers undefined.
  fn.mockReset = () => {
    reset();
    return strict();
  };
  return strict();
}

/**
 * A stand-in for `name`: its methods are strict jest mocks; anything else it is asked for
 * (a getter, a field, a method of an interface token) fails until the test assigns it.
 */
function strictFake(name: string, methods: string[]): object {
  const target: Record<string, unknown> = {};
  for (const m of methods) target[m] = strictFn(`${name}.${m}`);
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (prop in t || typeof prop === 'symbol' || isProbe(prop)) return Reflect.get(t, prop, receiver) as unknown;
      // An interface token has no prototype to list: a method is known only once it is called.
      if (methods.length === 0) return () => notSetUp(`${name}.${prop}`, 'was called');
      return notSetUp(`${name}.${prop}`, 'was read');
    },
  });
}

function methodsOf(type: Type): string[] {
  const methods = new Set<string>();
  for (
    let proto = type.prototype as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(proto)))
      if (name !== 'constructor' && typeof d.value === 'function') methods.add(name);
  }
  return [...methods];
}

function automock(token: InjectionToken): unknown {
  if (typeof token !== 'function') return strictFake(typeof token === 'symbol' ? (token.description ?? String(token)) : String(token), []);
  const fake = strictFake(token.name, methodsOf(token as Type));
  // A unit of work runs as it would in a transaction, with TEST_SESSION: a faithful fake, not a default answer.
  if (token === Transactions)
    (fake as Mocked<Transactions>).run.mockImplementation((unit: (s: ClientSession) => Promise<unknown>) => unit(TEST_SESSION));
  return fake;
}

/**
 * Builds `service` with every constructor dependency replaced by a strict fake, as immich's
 * newTestService does: each method a jest.fn() that throws, naming the collaborator and the
 * method, until the test sets up what it answers; getters and fields fail when read until
 * the test assigns them; a call that was not set up fails the test even when the service
 * caught the error. Transactions runs the unit with TEST_SESSION. AppConfig is the real
 * thing, the defaults with `config` over them; `mocks(Token)` returns the fake injected for Token.
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
