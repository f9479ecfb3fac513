import { describe, expect, it } from 'vitest';
import { isLoopbackHost, localUrl, readRuntimeOptions } from '../../../infra/local/runtime-options.js';

describe("npm start's options", () => {
  it('starts a newcomer on the real clock, port 3000, DynamoDB Local on 8000 with data in .daiban/dynamodb', () => {
    // Act
    const options = readRuntimeOptions([], {});

    // Assess
    expect(options).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dynamoPort: 8000,
      dataDir: '.daiban/dynamodb',
      tableName: 'daiban-local',
      seedDemo: true,
      clock: 'real',
      jobIntervalMs: 5000,
      dynamoRestartDelayMs: 1000,
      mode: 'demo',
      tokenTtlSeconds: 3600,
      timeZone: 'Asia/Shanghai',
    });
  });

  it('takes the service centre’s time zone from DAIBAN_TIME_ZONE, and refuses one Intl does not know', () => {
    // Act / Assess
    expect(readRuntimeOptions([], { DAIBAN_TIME_ZONE: 'Asia/Urumqi' }).timeZone).toBe('Asia/Urumqi');
    expect(() => readRuntimeOptions([], { DAIBAN_TIME_ZONE: 'Beijing' })).toThrow(
      /DAIBAN_TIME_ZONE=Beijing: not a time zone/,
    );
  });

  it('serves the API on loopback when HOST is empty, as when it is unset (Node would take "" for every interface)', () => {
    // Act / Assess
    expect(readRuntimeOptions([], { HOST: '' }).host).toBe('127.0.0.1');
  });

  it('serves the API where HOST says, for one who exposes it on purpose', () => {
    // Act / Assess
    expect(readRuntimeOptions([], { HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it.each([
    ['127.0.0.1', true],
    ['127.0.1.1', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['daiban.example.org', false],
  ])('tells whether HOST=%s keeps the API on this machine (%s)', (host, loopback) => {
    // Act / Assess
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:3000'],
    ['0.0.0.0', 'http://127.0.0.1:3000'],
    ['::', 'http://127.0.0.1:3000'],
    ['192.168.1.20', 'http://192.168.1.20:3000'],
    ['::1', 'http://[::1]:3000'],
  ])('shows the address a person on this machine types for HOST=%s', (host, url) => {
    // Act / Assess
    expect(localUrl(host, 3000)).toBe(url);
  });

  it.each([
    [['--clock=simulated'], {}],
    [['--clock', 'simulated'], {}],
    [[], { DAIBAN_CLOCK: 'simulated' }],
  ])('runs on a simulated clock when asked (%j %j)', (argv, env) => {
    // Act
    const options = readRuntimeOptions(argv, env);

    // Assess
    expect(options.clock).toBe('simulated');
  });

  it('lets the flag win over the environment', () => {
    // Act
    const options = readRuntimeOptions(['--clock=real'], { DAIBAN_CLOCK: 'simulated' });

    // Assess
    expect(options.clock).toBe('real');
  });

  it.each([
    [['--clock=fast'], {}, "unknown clock 'fast'"],
    [['--port=3001'], {}, "unknown argument '--port=3001'"],
    [[], { PORT: 'abc' }, 'PORT=abc: expected a whole number'],
    [[], { DYNAMODB_PORT: '70000' }, 'DYNAMODB_PORT=70000: a port is a number from 1 to 65535'],
    [[], { DAIBAN_JOB_INTERVAL_MS: '-5' }, 'DAIBAN_JOB_INTERVAL_MS=-5: expected a whole number'],
  ])('refuses %j %j, naming the problem', (argv, env, message) => {
    // Act / Assess
    expect(() => readRuntimeOptions(argv, env)).toThrow(message);
  });

  it('reads the job interval, and 0 to run the scheduled job only on request', () => {
    // Act / Assess
    expect(readRuntimeOptions([], { DAIBAN_JOB_INTERVAL_MS: '1000' }).jobIntervalMs).toBe(1000);
    expect(readRuntimeOptions([], { DAIBAN_JOB_INTERVAL_MS: '0' }).jobIntervalMs).toBe(0);
  });

  it.each([
    [['--production'], {}],
    [[], { DAIBAN_MODE: 'production' }],
    [['--production'], { DAIBAN_MODE: 'demo' }],
  ])('runs in production mode when asked (%j %j), without the demo projects', (argv, env) => {
    // Act
    const options = readRuntimeOptions(argv, env);

    // Assess
    expect(options.mode).toBe('production');
    expect(options.seedDemo).toBe(false);
  });

  it('reads the first admin password and the token lifetime from the environment', () => {
    // Act
    const options = readRuntimeOptions(['--production'], {
      DAIBAN_ADMIN_PASSWORD: 'a long admin password',
      DAIBAN_TOKEN_TTL_SECONDS: '900',
    });

    // Assess
    expect(options.adminPassword).toBe('a long admin password');
    expect(options.tokenTtlSeconds).toBe(900);
  });

  it.each([
    [[], { DAIBAN_MODE: 'staging' }, "unknown mode 'staging'"],
    [['--production'], { DAIBAN_SEED_DEMO: 'true' }, 'demo projects are seeded in demo mode only'],
    [[], { DAIBAN_TOKEN_TTL_SECONDS: '10' }, 'a token lasts from 60 s to 86400 s'],
    [[], { DAIBAN_TOKEN_TTL_SECONDS: '604800' }, 'a token lasts from 60 s to 86400 s'],
  ])('refuses %j %j about modes and tokens, naming the problem', (argv, env, message) => {
    // Act / Assess
    expect(() => readRuntimeOptions(argv, env)).toThrow(message);
  });
});
