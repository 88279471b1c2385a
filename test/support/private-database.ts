import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, stopProcess } from './processes';

/**
 * A database server of its own for a fault drill: a secantus-mdb on a free port with its
 * WiredTiger files under a temp dir, so the drill can crash it without touching the shared
 * one. It takes the settings file the .local server takes (scripts/secantusd.toml), so the
 * durability being drilled (sync_on_commit) is the one every other suite runs on.
 */
const ROOT = join(__dirname, '../..');
const SETTINGS = join(ROOT, 'scripts/secantusd.toml');
const SERVER_PARAMETERS = join(ROOT, 'scripts/database-settings.mjs');
const run = promisify(execFile);
// A worktree has no .local/ of its own: SECANTUSD_BIN points it at a checkout's build.
const BINARY = process.env.SECANTUSD_BIN ?? join(ROOT, '.local/secantus/bin/secantusd-rs');

export interface PrivateDatabase {
  /** mongodb:// URI of the private server, naming database `db`. */
  uri(db: string): string;
  readonly dir: string;
  /** A crash: the server SIGKILLed, with no checkpoint; only what its log fsynced survives. */
  kill(): Promise<void>;
  /** The server back on the same port and storage (WiredTiger replays its log first). */
  restart(): Promise<void>;
  /** Stops the server if it runs and removes the temp dir; safe to call at any point, twice too. */
  stop(): Promise<void>;
}

export async function startPrivateDatabase(): Promise<PrivateDatabase> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run scripts/services.sh up first, or set SECANTUSD_BIN`);
  const dir = mkdtempSync(join(tmpdir(), 'drill-db-'));
  const storage = join(dir, 'data');
  const port = await freePort();
  let server: ChildProcess | undefined;

  const start = async () => {
    let output = '';
    const p = spawn(BINARY, ['--config', SETTINGS, '--port', String(port), '--storage-path', storage], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = p;
    // Listening is announced only once the storage is open (and, after a crash, recovered):
    // an open port alone could be a client racing the recovery.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('timed out after 60 s')), 60_000);
      const fail = (err: Error) => {
        clearTimeout(timer);
        p.kill('SIGKILL');
        reject(new Error(`secantus-mdb did not come up on ${port}: ${err.message}\n${output}`, { cause: err }));
      };
      const exited = (code: number | null, signal: string | null) => fail(new Error(`exited early (${signal ?? code})`));
      const read = (d: Buffer) => {
        output = (output + d.toString()).slice(-4000);
        if (output.includes(`listening on 127.0.0.1:${port}`)) {
          clearTimeout(timer);
          p.off('exit', exited);
          resolve();
        }
      };
      p.stdout.on('data', read);
      p.stderr.on('data', read);
      p.once('error', fail);
      p.once('exit', exited);
    });
  };

  // The server parameters every server of the app runs with (they do not survive a restart).
  const applySettings = () => run(process.execPath, [SERVER_PARAMETERS, `mongodb://127.0.0.1:${port}/?directConnection=true`]);

  const stop = async () => {
    if (server) await stopProcess(server, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await start();
    await applySettings();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    dir,
    uri: (db) => `mongodb://127.0.0.1:${port}/${db}?directConnection=true`,
    kill: async () => {
      if (server) await stopProcess(server, 'SIGKILL');
    },
    restart: async () => {
      await start();
      await applySettings();
    },
    stop,
  };
}
