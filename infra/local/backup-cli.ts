import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../shared/store/create-table.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  type SnapshotHeader,
  stableScan,
  tableIsEmpty,
  writeItems,
} from '../../shared/store/snapshot.js';
import { freePort, LOCAL_AWS, startDynamoDbLocal } from './dynamodb-local.js';

/**
 * `npm run backup` and `npm run restore` (README "Backup and restore").
 *
 * backup, two ways:
 * - from a running local runtime (the default: `--url`, else http://127.0.0.1:$PORT): `POST /admin/backup`, which
 *   reads the table while the runtime's writes wait. Signed in with `DAIBAN_TOKEN` (an admin's bearer token), else
 *   as `admin` with `DAIBAN_ADMIN_PASSWORD`, else (demo mode) with a dev token.
 * - from a table directly (`--table`, and `--endpoint` for a DynamoDB Local; without it AWS, with the usual
 *   credentials and region): full scans until two agree (see `stableScan`). For a table nothing writes to: a
 *   local one whose runtime is stopped, or on AWS the table a point-in-time restore made.
 *
 * restore: into a fresh data folder (`--data-dir`: refused unless missing or empty; DynamoDB Local is started on
 * it for the restore and stopped after), or into an empty table (`--table`, `--endpoint`).
 */

type Args = Record<string, string>;

function parseArgs(argv: readonly string[], allowed: readonly string[], command: string): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    if (!name || !allowed.includes(name)) {
      throw new Error(
        `unknown argument '${arg}': ${command} takes ${allowed.map((a) => `--${a}`).join(', ')}`,
      );
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`--${name} needs a value`);
    args[name] = value;
  }
  return args;
}

const clientFor = (args: Args): DynamoDBClient =>
  new DynamoDBClient(
    args.endpoint
      ? { ...LOCAL_AWS, endpoint: args.endpoint, ...(args.region ? { region: args.region } : {}) }
      : args.region
        ? { region: args.region }
        : {},
  );

const stampOf = (date: Date): string =>
  date
    .toISOString()
    .replaceAll(':', '')
    .replace(/\.\d+Z$/, 'Z');

/** A token for `POST /admin/backup`: DAIBAN_TOKEN, a sign-in as admin, or a dev token (demo mode). */
async function adminToken(base: string, env: Record<string, string | undefined>): Promise<string> {
  if (env.DAIBAN_TOKEN) return env.DAIBAN_TOKEN;
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const res = env.DAIBAN_ADMIN_PASSWORD
    ? await post('/auth/login', {
        userId: env.DAIBAN_BACKUP_USER ?? 'admin',
        password: env.DAIBAN_ADMIN_PASSWORD,
      })
    : await post('/auth/dev-token', { userId: env.DAIBAN_BACKUP_USER ?? 'admin' });
  if (!res.ok) {
    throw new Error(
      `could not sign in at ${base} (${res.status}): set DAIBAN_TOKEN to an admin's token, or DAIBAN_ADMIN_PASSWORD to the admin's password`,
    );
  }
  return ((await res.json()) as { token: string }).token;
}

export type BackupResult = { file: string; header: SnapshotHeader };

export async function runBackup(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Promise<BackupResult> {
  const args = parseArgs(argv, ['out', 'url', 'endpoint', 'table', 'region'], 'npm run backup --');
  let bytes: Buffer;
  if (args.table || args.endpoint) {
    const table = args.table ?? env.TABLE_NAME ?? 'daiban-local';
    const client = clientFor(args);
    try {
      const items = await stableScan(client, table);
      bytes = encodeSnapshot(items, { table, createdAt: new Date(), consistency: 'stable-scan' }).bytes;
    } finally {
      client.destroy();
    }
  } else {
    const base = args.url ?? `http://127.0.0.1:${env.PORT ?? 3000}`;
    const token = await adminToken(base, env);
    const res = await fetch(`${base}/admin/backup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`${base}/admin/backup answered ${res.status}: ${await res.text()}`);
    bytes = Buffer.from(await res.arrayBuffer());
  }
  const { header } = decodeSnapshot(bytes); // what we write is checked as restore will check it
  const file = resolve(args.out ?? `daiban-${stampOf(new Date(header.createdAt))}.jsonl.gz`);
  writeFileSync(file, bytes);
  return { file, header };
}

export type RestoreResult = { items: number; header: SnapshotHeader; target: string };

export async function runRestore(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Promise<RestoreResult> {
  const args = parseArgs(argv, ['file', 'data-dir', 'endpoint', 'table', 'region'], 'npm run restore --');
  if (!args.file) throw new Error('--file names the snapshot to restore');
  const dataDir = args['data-dir'];
  if (!dataDir === !(args.endpoint || args.table)) {
    throw new Error(
      'restore into a fresh data folder (--data-dir) or into an empty table (--table, --endpoint)',
    );
  }
  const { header, items } = decodeSnapshot(readFileSync(args.file));
  const table = args.table ?? env.TABLE_NAME ?? 'daiban-local';
  if (dataDir) {
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} is not empty: restore into a new folder (nothing was changed)`);
    }
    mkdirSync(dataDir, { recursive: true });
    const dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir });
    try {
      await restoreInto(clientFor({ endpoint: dynamo.endpoint }), table, items);
    } finally {
      await dynamo.stop();
    }
    return { items: items.length, header, target: resolve(dataDir) };
  }
  await restoreInto(clientFor(args), table, items);
  return { items: items.length, header, target: `${args.endpoint ?? 'AWS'} ${table}` };
}

async function restoreInto(
  client: DynamoDBClient,
  table: string,
  items: Parameters<typeof writeItems>[2],
): Promise<void> {
  try {
    await ensureTable(client, table);
    if (!(await tableIsEmpty(client, table))) {
      throw new Error(`table ${table} is not empty: restore into a new one (nothing was changed)`);
    }
    await writeItems(client, table, items);
  } finally {
    client.destroy();
  }
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'backup') {
    const { file, header } = await runBackup(rest);
    console.log(
      `Wrote ${header.itemCount} items of ${header.table} (layout ${header.layout}, ${header.consistency}) to ${file}`,
    );
  } else if (command === 'restore') {
    const { items, header, target } = await runRestore(rest);
    console.log(
      `Restored ${items} items (snapshot of ${header.createdAt}, layout ${header.layout}) into ${target}`,
    );
    if (rest.includes('--data-dir') || rest.some((a) => a.startsWith('--data-dir='))) {
      console.log(`Start on it: DAIBAN_DATA_DIR=${target} npm start (every project in flight resumes)`);
    }
  } else {
    throw new Error('usage: backup-cli.ts backup|restore [options]');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
