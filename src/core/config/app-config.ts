import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  validateSync,
  ValidationError,
} from 'class-validator';
import { compile as compileTrustedProxies } from 'proxy-addr';

const APP_ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** Express's `trust proxy`: a hop count, or addresses, CIDR ranges and named ranges (loopback, linklocal, uniquelocal). */
export type TrustProxy = number | string[];

const toTrustProxy = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim());
};

/**
 * Checked by proxy-addr, the parser Express itself hands the setting to, so that what
 * passes here is exactly what Express accepts. `true` (trust every hop) is not offered:
 * any client could then choose its own address, and with it its rate-limit bucket.
 */
const IsTrustProxy = () =>
  ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) => {
        if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
        if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v === '')) return false;
        try {
          compileTrustedProxies(value as string[]);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        'TRUST_PROXY must be a hop count (0: trust no proxy) or a comma-separated list of IP addresses, CIDR ranges ' +
        'and the names loopback, linklocal, uniquelocal',
    },
  });

/**
 * Every setting the service reads, with its default. Validated once at start-up:
 * an invalid value stops the process with a message naming the variable. Also the
 * injection token of the validated settings (AppConfigModule): services take
 * `config: AppConfig` and read `config.INGEST_CHUNK_ROWS`.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(APP_ROLES)
  APP_ROLE: AppRole = 'all';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Loopback by default; containers set 0.0.0.0. */
  @IsString()
  HOST = '127.0.0.1';

  /**
   * Which peers are proxies whose X-Forwarded-For (and -Proto, -Host) is believed: the client
   * address they give decides the rate-limit bucket. Behind a load balancer, its address or
   * range (or the number of proxy hops); left at loopback there, every client would share
   * the balancer's one bucket.
   */
  @Transform(toTrustProxy)
  @IsTrustProxy()
  TRUST_PROXY: TrustProxy = ['loopback'];

  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI = 'mongodb://127.0.0.1:27017/influencer';

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Comma-separated API keys; empty means the API is open. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  API_KEYS?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OPENAI_BASE_URL must be an http(s) URL' })
  OPENAI_BASE_URL?: string;

  @IsString()
  @Matches(/^\S+$/, { message: 'LLM_MODEL must be a model name without spaces' })
  LLM_MODEL = 'gpt-4o-mini';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  LLM_TIMEOUT_MS = 20_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  LLM_MAX_ATTEMPTS = 3;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  BRIEF_CACHE_TTL_S = 300;

  /** Requests per minute per client IP on every route without a stricter limit of its own. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_PER_MIN = 600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  BRIEF_RATE_LIMIT_PER_MIN = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  INGEST_RATE_LIMIT_PER_MIN = 30;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(100_000)
  INGEST_CHUNK_ROWS = 5_000;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 ** 3)
  INGEST_MAX_BYTES = 512 * 1024 ** 2;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  INGEST_WORKER_CONCURRENCY = 2;

  /** How long a chunk keeps retrying (backoff capped at 30 s) before its upload fails: it waits out a database outage this long. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  INGEST_RETRY_WINDOW_S = 900;

  /** An unfinished upload with no sign of life (no queued work, no reading API) this long is ended by the reaper. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  INGEST_STALL_TIMEOUT_S = 120;

  /** How often each worker's reaper looks for uploads that can no longer complete. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  INGEST_REAPER_INTERVAL_S = 30;

  /** How long a worker holds a chunk before Bull considers it stalled and re-delivers it. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  QUEUE_LOCK_MS = 30_000;

  /** Prefix of every Redis key (Bull's queues, upload progress, caches, rate limits): deployments (or test runs) sharing one Redis keep apart. */
  @Matches(/^[\w.-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits, "_", "." or "-"' })
  QUEUE_PREFIX = 'influencer';

  /** Ingest the bundled sample once when the database is empty (npm start). */
  @IsIn(['true', 'false'])
  INGEST_SAMPLE_ON_EMPTY: 'true' | 'false' = 'false';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  CORS_ORIGINS?: string;

  // Briefs: protecting the LLM upstream (src/brief/llm/llm-gate.ts).

  /** LLM calls in flight at once per process; more wait in a queue of BRIEF_LLM_QUEUE_MAX. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  BRIEF_LLM_CONCURRENCY = 8;

  /** LLM calls that may wait for a slot; beyond it a brief is refused at once (503). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  BRIEF_LLM_QUEUE_MAX = 32;

  /** One brief's budget across every attempt, backoff and queue wait. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  BRIEF_DEADLINE_MS = 45_000;

  /** Consecutive upstream failures (timeouts, 5xx, 429, connection errors) that open the circuit. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  BRIEF_BREAKER_THRESHOLD = 5;

  /** How long an open circuit refuses LLM calls before one probe (longer if the upstream's Retry-After says so). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  BRIEF_BREAKER_COOLDOWN_MS = 30_000;

  // --- HTTP server and event streams

  /**
   * The longest a client may take to send one whole request (headers and body): sized for
   * the largest upload INGEST_MAX_BYTES allows over a slow link, past Node's 300 s.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  HTTP_REQUEST_TIMEOUT_S = 3_600;

  /** The longest a client may take to send the request headers (capped at HTTP_REQUEST_TIMEOUT_S). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600)
  HTTP_HEADERS_TIMEOUT_S = 60;

  /** How long an idle keep-alive connection stays open: longer than a proxy's own (60 s is common), so the proxy closes first. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600)
  HTTP_KEEP_ALIVE_TIMEOUT_S = 65;

  /** GET /ingest/:jobId/events ends after this long with a `reconnect` event, however long the job takes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  INGEST_EVENTS_MAX_S = 3_600;

  /** A `: keepalive` comment line this often on an event stream, so that proxies don't cut it as idle. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  INGEST_EVENTS_HEARTBEAT_MS = 15_000;

  /**
   * Rejected-row errors stored per upload for GET /ingest/:jobId/errors (about 90 bytes
   * each); past it they are only counted (status errorsNotStored), rowsRejected stays exact.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  INGEST_MAX_STORED_ERRORS = 100_000;

  /**
   * k of the adjusted rate (E + k·p0) / (V + k): a creator's rate counts as much as the
   * slice's own after about this many views. 0 turns the shrinkage off (adjustedRate = rate).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  RANKING_PRIOR_VIEWS = 1_000;
}

function describe(errors: ValidationError[]): string[] {
  // Values are left out on purpose: several variables hold secrets.
  return errors.flatMap((e) => Object.values(e.constraints ?? { invalid: `${e.property} is invalid` }));
}

export function validateEnvironment(raw: Record<string, unknown>): AppConfig {
  const env = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new Error(`Invalid environment: ${describe(errors).join('; ')}`);
  }
  return env;
}

export function apiKeys(env: Pick<AppConfig, 'API_KEYS'>): string[] {
  return (env.API_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}
