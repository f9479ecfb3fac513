import type { ClockMode } from '../../shared/app/clock-control.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../../shared/domain/local-time.js';
import { RUNTIME_MODES, type RuntimeMode } from './installation.js';

/** How `npm start` runs, from its arguments and environment (README "Configuration"). */
export type RuntimeOptions = {
  port: number;
  /** where the API listens: 127.0.0.1 unless HOST says otherwise (DynamoDB Local always listens on 127.0.0.1) */
  host: string;
  dynamoPort: number;
  dataDir: string;
  tableName: string;
  seedDemo: boolean;
  clock: ClockMode;
  /** how often the scheduled job runs (outbox re-sends, renewals, audit); 0: never on its own */
  jobIntervalMs: number;
  /**
   * how long the runtime waits before it starts again a DynamoDB Local that died (doubling while that fails, at
   * most 30 s): `DAIBAN_DYNAMODB_RESTART_DELAY_MS`, default 1000 (the fault tests lengthen it into an outage)
   */
  dynamoRestartDelayMs: number;
  /**
   * how long an execution may wait on nothing before the audit renews it (`DAIBAN_STUCK_AFTER_SECONDS`; default
   * the spine's 300 s; the fault tests shorten it)
   */
  stuckAfterSeconds?: number;
  /** demo (seeded users with the demo password, dev tokens) or production (see installation.ts) */
  mode: RuntimeMode;
  /** how long a session token from `POST /auth/login` lasts */
  tokenTtlSeconds: number;
  /** production on an empty table: the first admin's password (never printed) */
  adminPassword?: string;
  /** the service centre's time zone, for every date people read (`DAIBAN_TIME_ZONE`, default Asia/Shanghai) */
  timeZone: string;
};

const CLOCK_MODES: readonly ClockMode[] = ['real', 'simulated'];

/**
 * Reads the options; a value that makes no sense stops the start with a message naming it, before anything runs.
 *
 * @example readRuntimeOptions(['--clock=simulated'], { PORT: '3001' }) // { port: 3001, clock: 'simulated', … }
 */
export function readRuntimeOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): RuntimeOptions {
  let clockArg: string | undefined;
  let production = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--clock=')) clockArg = arg.slice('--clock='.length);
    else if (arg === '--clock') clockArg = argv[++i];
    else if (arg === '--production') production = true;
    else {
      throw new Error(
        `unknown argument '${arg}': npm start takes --clock=real or --clock=simulated, and --production`,
      );
    }
  }
  const clock = (clockArg ?? env.DAIBAN_CLOCK ?? 'real') as ClockMode;
  if (!CLOCK_MODES.includes(clock)) {
    throw new Error(`unknown clock '${clock}': use --clock=real or --clock=simulated (or DAIBAN_CLOCK)`);
  }
  const mode = (production ? 'production' : (env.DAIBAN_MODE ?? 'demo')) as RuntimeMode;
  if (!RUNTIME_MODES.includes(mode)) {
    throw new Error(`unknown mode '${mode}': DAIBAN_MODE is demo or production (or use --production)`);
  }
  if (mode === 'production' && env.DAIBAN_SEED_DEMO === 'true') {
    throw new Error(
      'DAIBAN_SEED_DEMO=true: the demo projects are seeded in demo mode only, not with --production',
    );
  }
  const tokenTtlSeconds = wholeNumber('DAIBAN_TOKEN_TTL_SECONDS', env.DAIBAN_TOKEN_TTL_SECONDS, 3600);
  if (tokenTtlSeconds < 60 || tokenTtlSeconds > 86_400) {
    throw new Error(
      `DAIBAN_TOKEN_TTL_SECONDS=${env.DAIBAN_TOKEN_TTL_SECONDS}: a token lasts from 60 s to 86400 s (a day)`,
    );
  }
  const timeZone = env.DAIBAN_TIME_ZONE || DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) {
    throw new Error(
      `DAIBAN_TIME_ZONE=${timeZone}: not a time zone; use an IANA name such as ${DEFAULT_TIME_ZONE}`,
    );
  }
  return {
    timeZone,
    port: portOf('PORT', env.PORT, 3000),
    // An empty HOST is no HOST: Node would take '' for every interface.
    host: env.HOST || '127.0.0.1',
    dynamoPort: portOf('DYNAMODB_PORT', env.DYNAMODB_PORT, 8000),
    dataDir: env.DAIBAN_DATA_DIR ?? '.daiban/dynamodb',
    tableName: env.TABLE_NAME ?? 'daiban-local',
    seedDemo: mode === 'demo' && env.DAIBAN_SEED_DEMO !== 'false',
    clock,
    jobIntervalMs: wholeNumber('DAIBAN_JOB_INTERVAL_MS', env.DAIBAN_JOB_INTERVAL_MS, 5000),
    dynamoRestartDelayMs: wholeNumber(
      'DAIBAN_DYNAMODB_RESTART_DELAY_MS',
      env.DAIBAN_DYNAMODB_RESTART_DELAY_MS,
      1000,
    ),
    ...(env.DAIBAN_STUCK_AFTER_SECONDS
      ? { stuckAfterSeconds: wholeNumber('DAIBAN_STUCK_AFTER_SECONDS', env.DAIBAN_STUCK_AFTER_SECONDS, 300) }
      : {}),
    mode,
    tokenTtlSeconds,
    ...(env.DAIBAN_ADMIN_PASSWORD ? { adminPassword: env.DAIBAN_ADMIN_PASSWORD } : {}),
  };
}

/**
 * Whether `host` keeps the API on this machine: a loopback address or `localhost`. Anything else (0.0.0.0, a
 * LAN address, a host name) lets other machines reach it.
 */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The address a person on this machine types to reach the API: 127.0.0.1 when it listens on every interface. */
export function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::') return `http://127.0.0.1:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function portOf(name: string, value: string | undefined, fallback: number): number {
  const port = wholeNumber(name, value, fallback);
  if (port < 1 || port > 65535) throw new Error(`${name}=${value}: a port is a number from 1 to 65535`);
  return port;
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${name}=${value}: expected a whole number`);
  return number;
}
