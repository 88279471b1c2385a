import { ChildProcess, execFile, spawn } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, stopProcess, waitForPort } from './processes';

/**
 * A database stack of its own for a fault drill: a fresh PostgreSQL 15 cluster with DocumentDB
 * and a FerretDB in front of it, on free ports, everything under one temp dir. The drill can
 * crash either process and bring both back on the same data. The cluster takes the same
 * settings as the .local one (scripts/postgresql.local.conf, appended by scripts/services.sh
 * too); the binaries are the ones `scripts/services.sh up` installs and builds.
 */
const ROOT = join(__dirname, '../..');
const FERRETDB = join(ROOT, '.local/bin/ferretdb');
const PG_SETTINGS = join(ROOT, 'scripts/postgresql.local.conf');
const PG_BIN = '/usr/lib/postgresql/15/bin';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, run its commands as Debian's `postgres` user (as scripts/services.sh does). */
function asPg(cmd: string, args: string[]) {
  return isRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function waitUntil(what: string, done: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface PrivateDatabase {
  /** mongodb:// URI of the private FerretDB, naming database `db`. */
  uri(db: string): string;
  readonly dir: string;
  /** A crash of both: FerretDB SIGKILLed, then the postmaster SIGKILLed (its children die with it). */
  kill(): Promise<void>;
  /** Both back on the same ports and data (PostgreSQL runs crash recovery first). */
  restart(): Promise<void>;
  /** Stops whatever still runs and removes the temp dir; safe to call at any point, twice too. */
  stop(): Promise<void>;
}

export async function startPrivateDatabase(): Promise<PrivateDatabase> {
  if (!existsSync(FERRETDB)) throw new Error(`${FERRETDB} is missing: run scripts/services.sh up first`);
  if (!existsSync(join(PG_BIN, 'initdb'))) throw new Error(`PostgreSQL 15 is missing (${PG_BIN}): run scripts/services.sh up first`);
  const dir = mkdtempSync(join(tmpdir(), 'drill-db-'));
  const pgData = join(dir, 'postgres');
  const socketDir = join(dir, 'run');
  const ferretState = join(dir, 'ferretdb');
  const pgLog = join(dir, 'postgres.log');
  let ferret: ChildProcess | undefined;
  let ferretLog = '';
  const [pgPort, mongoPort] = [await freePort(), await freePort()];

  const postmasterPid = (): number | undefined => {
    try {
      return Number(readFileSync(join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };

  const startPostgres = async () => {
    try {
      await asPg(join(PG_BIN, 'pg_ctl'), ['-D', pgData, '-l', pgLog, '-w', '-t', '60', 'start']);
    } catch (err) {
      const log = existsSync(pgLog) ? readFileSync(pgLog, 'utf8').split('\n').slice(-20).join('\n') : '';
      throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log}`, { cause: err });
    }
  };

  const startFerret = async () => {
    ferretLog = '';
    ferret = spawn(
      FERRETDB,
      [
        '-listen-addr',
        `127.0.0.1:${mongoPort}`,
        '-postgresql-url',
        `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
        '-state-dir',
        ferretState,
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    ferret.stderr!.on('data', (d: Buffer) => (ferretLog = (ferretLog + d.toString()).slice(-4000)));
    try {
      await waitForPort(mongoPort, 30_000);
    } catch (err) {
      throw new Error(`FerretDB did not come up on ${mongoPort}: ${(err as Error).message}\n${ferretLog}`, { cause: err });
    }
  };

  const killFerret = async () => {
    if (ferret) await stopProcess(ferret, 'SIGKILL');
  };

  /** SIGKILL to the postmaster, as a crash would; its children notice and exit, any that linger are killed too. */
  const killPostgres = async () => {
    const pid = postmasterPid();
    if (!pid || !alive(pid)) return;
    const children = childrenOf(pid);
    process.kill(pid, 'SIGKILL');
    await waitUntil('the postmaster to exit', () => !alive(pid), 10_000);
    try {
      await waitUntil('PostgreSQL backends to exit', () => children.every((c) => !alive(c)), 10_000);
    } catch {
      for (const c of children.filter(alive)) process.kill(c, 'SIGKILL');
      await waitUntil('PostgreSQL backends to exit after SIGKILL', () => children.every((c) => !alive(c)), 10_000);
    }
  };

  const stop = async () => {
    await killFerret().catch(() => undefined);
    const pid = postmasterPid();
    if (pid && alive(pid)) {
      await asPg(join(PG_BIN, 'pg_ctl'), ['-D', pgData, '-m', 'immediate', '-w', '-t', '30', 'stop']).catch(() => killPostgres());
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    mkdirSync(socketDir);
    mkdirSync(ferretState);
    if (isRoot) {
      const pgUid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
      const pgGid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
      for (const p of [dir, socketDir]) chownSync(p, pgUid, pgGid);
    }
    await asPg(join(PG_BIN, 'initdb'), ['-D', pgData, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
    appendFileSync(
      join(pgData, 'postgresql.conf'),
      `\n# --- fault drill (test/support/private-database.ts)\n${readFileSync(PG_SETTINGS, 'utf8')}\n` +
        `listen_addresses = '127.0.0.1'\nport = ${pgPort}\nunix_socket_directories = '${socketDir}'\n`,
    );
    await startPostgres();
    await asPg('psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(pgPort),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-qAt',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE;',
    ]);
    await startFerret();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    dir,
    uri: (db) => `mongodb://127.0.0.1:${mongoPort}/${db}`,
    kill: async () => {
      await killFerret();
      await killPostgres();
    },
    restart: async () => {
      await startPostgres();
      await startFerret();
    },
    stop,
  };
}
