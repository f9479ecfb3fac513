import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';

/** The options of every script against a deployed table (`parseArgs`): the table, where its DynamoDB is, --help. */
export const TABLE_OPTIONS = {
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

/**
 * The table the script is to work on; or, asked for its usage (--help) or not given a table, none: then the usage
 * is printed and the exit code set (0 for --help, 1 without a table).
 */
export function tableOrUsage(values: { table?: string; help?: boolean }, usage: string): string | undefined {
  if (values.help || !values.table) {
    console.log(usage);
    process.exitCode = values.help ? 0 : 1;
    return undefined;
  }
  return values.table;
}

/**
 * The store of a deployed table, as an operator's script reaches it (`--region` and `--endpoint`, or the AWS
 * environment's), for the time of `use`: its client is closed after, whatever `use` did.
 */
export async function withTableStore<T>(
  table: string,
  where: { region?: string | undefined; endpoint?: string | undefined },
  use: (store: DynamoDaibanStore) => Promise<T>,
): Promise<T> {
  const client = new DynamoDBClient({
    ...(where.region ? { region: where.region } : {}),
    ...(where.endpoint ? { endpoint: where.endpoint } : {}),
  });
  const store = new DynamoDaibanStore(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    table,
  );
  try {
    return await use(store);
  } finally {
    client.destroy();
  }
}
