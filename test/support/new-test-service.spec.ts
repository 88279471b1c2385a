import { Inject, Injectable } from '@nestjs/common';
import type { ClientSession } from 'mongodb';
import { AppConfig } from '../../src/core/config/app-config';
import { Transactions } from '../../src/core/database/transactions';
import { expectNothingUsedThatWasNotSetUp, newTestService, TEST_SESSION } from './new-test-service';

// Stand-ins for the app's collaborators: a repository, a client with a getter and a field, a tool behind a symbol.
class Rows {
  async find(id: string): Promise<string | null> {
    return id;
  }
  async save(row: string): Promise<void> {
    if (!row) throw new Error('nothing to save');
  }
}
class BaseClient {
  ping(): string {
    return 'pong';
  }
}
class Client extends BaseClient {
  readonly model = 'real';
  get configured(): boolean {
    return true;
  }
}
const TOOL = Symbol('TOOL');
interface Tool {
  suggest(topic: string): Promise<string>;
}

@Injectable()
class Service {
  constructor(
    readonly rows: Rows,
    readonly client: Client,
    @Inject(TOOL) readonly tool: Tool,
    readonly transactions: Transactions,
    readonly config: AppConfig,
  ) {}

  async copy(id: string): Promise<string | null> {
    const row = await this.rows.find(id);
    if (row !== null) await this.rows.save(row);
    return row;
  }

  /** A best-effort write whose failure the service hides, as some of the app's do. */
  async copyQuietly(id: string): Promise<void> {
    await this.copy(id).catch(() => undefined);
  }
}

const setUp = async () => {
  const { sut, mocks } = await newTestService(Service, { config: { INGEST_CHUNK_ROWS: 70 } });
  return { sut, rows: mocks(Rows), client: mocks(Client) };
};

describe('newTestService', () => {
  it('fails a call nobody set up, naming the collaborator and the method', async () => {
    const { sut, rows } = await setUp();
    rows.find.mockResolvedValue('r1');
    await expect(sut.copy('r1')).rejects.toThrow('Rows.save was called, but the test did not set it up');
    expect(() => expectNothingUsedThatWasNotSetUp()).toThrow('The test used collaborators it did not set up: Rows.save');
  });

  it('answers what the test set up, and records the calls', async () => {
    const { sut, rows } = await setUp();
    rows.find.mockResolvedValueOnce('r1').mockResolvedValueOnce(null);
    rows.save.mockResolvedValue(undefined);
    expect(await sut.copy('r1')).toBe('r1');
    expect(await sut.copy('r2')).toBeNull();
    expect(rows.save.mock.calls).toEqual([['r1']]);
    // A *Once answer used up leaves the method strict again.
    expect(() => sut.rows.find('r3')).toThrow('Rows.find was called');
    expect(() => expectNothingUsedThatWasNotSetUp()).toThrow(/Rows\.find$/);
  });

  it('fails the test even when the service swallowed the error', async () => {
    const { sut, rows } = await setUp();
    rows.find.mockResolvedValue('r1');
    await sut.copyQuietly('r1');
    expect(() => expectNothingUsedThatWasNotSetUp()).toThrow(/Rows\.save/);
  });

  it('stays strict after mockReset, and covers inherited methods', async () => {
    const { sut, rows, client } = await setUp();
    rows.find.mockResolvedValue('r1');
    rows.find.mockReset();
    expect(() => sut.rows.find('r1')).toThrow('Rows.find was called');
    expect(() => sut.client.ping()).toThrow('Client.ping was called');
    client.ping.mockReturnValue('set');
    expect(sut.client.ping()).toBe('set');
    expect(() => expectNothingUsedThatWasNotSetUp()).toThrow('Rows.find, Client.ping');
  });

  it('fails a read of a getter or a field until the test assigns it', async () => {
    const { sut, client } = await setUp();
    expect(() => sut.client.configured).toThrow('Client.configured was read, but the test did not set it up');
    expect(() => sut.client.model).toThrow('Client.model was read');
    Object.assign(client, { configured: false, model: 'm' });
    expect([sut.client.configured, sut.client.model]).toEqual([false, 'm']);
    expect(() => expectNothingUsedThatWasNotSetUp()).toThrow('Client.configured, Client.model');
  });

  it('fails any call to an interface behind a token until the test gives it the method', async () => {
    const { sut } = await setUp();
    expect(() => sut.tool.suggest('x')).toThrow('TOOL.suggest was called, but the test did not set it up');
    Object.assign(sut.tool, { suggest: jest.fn().mockResolvedValue('idea') });
    expect(await sut.tool.suggest('x')).toBe('idea');
    expect(() => expectNothingUsedThatWasNotSetUp()).toThrow('TOOL.suggest');
  });

  it('is no thenable and prints as a plain object (await and expect probe it)', async () => {
    const { sut, rows } = await setUp();
    expect(await Promise.resolve(sut.rows)).toBe(sut.rows);
    expect(sut.tool).toEqual({});
    expect(String(rows.find.getMockName())).toBe('Rows.find');
  });

  it('runs a unit of work with TEST_SESSION, and gives the real configuration with the overrides', async () => {
    const { sut } = await setUp();
    const unit = jest.fn(async (s: ClientSession) => s);
    expect(await sut.transactions.run(unit)).toBe(TEST_SESSION);
    expect(sut.config.INGEST_CHUNK_ROWS).toBe(70);
    expect(sut.config.INGEST_MAX_STORED_ERRORS).toBe(100000);
  });
});
