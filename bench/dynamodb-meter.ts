import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Operations that can report the capacity they consume, split by what on-demand bills them as. */
const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

type Capacity = { CapacityUnits?: number; Table?: { CapacityUnits?: number } };

export type DynamoDbUsage = {
  /** requests by operation (`PutItem`, `TransactWriteItems`…) */
  requests: Record<string, number>;
  /** read request units (on-demand), table and indexes */
  readUnits: number;
  /** write request units (on-demand), table and indexes; a transaction costs twice */
  writeUnits: number;
  /** the part of writeUnits spent on keeping the global secondary indexes up to date */
  indexWriteUnits: number;
};

export type DynamoDbMeter = {
  /** point the application here instead of at DynamoDB Local */
  endpoint: string;
  usage(): DynamoDbUsage;
  reset(): void;
  stop(): Promise<void>;
};

const emptyUsage = (): DynamoDbUsage => ({ requests: {}, readUnits: 0, writeUnits: 0, indexWriteUnits: 0 });

/**
 * A metering proxy in front of DynamoDB Local: it asks for `ReturnConsumedCapacity: INDEXES` on every data
 * request and adds up the capacity DynamoDB Local reports, so the application is measured as it is, unchanged.
 * (DynamoDB Local does not check request signatures, so adding the field to a signed body is harmless.)
 */
export async function startDynamoDbMeter(target: string): Promise<DynamoDbMeter> {
  const upstream = new URL(target);
  let usage = emptyUsage();

  const record = (operation: string, body: string): void => {
    usage.requests[operation] = (usage.requests[operation] ?? 0) + 1;
    let parsed: { ConsumedCapacity?: Capacity | Capacity[] };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return;
    }
    const capacities = [parsed.ConsumedCapacity ?? []].flat();
    const total = capacities.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    if (READ_OPERATIONS.has(operation)) usage.readUnits += total;
    if (WRITE_OPERATIONS.has(operation)) {
      usage.writeUnits += total;
      const table = capacities.reduce((sum, c) => sum + (c.Table?.CapacityUnits ?? c.CapacityUnits ?? 0), 0);
      usage.indexWriteUnits += total - table;
    }
  };

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      let body = Buffer.concat(chunks).toString('utf8');
      if (READ_OPERATIONS.has(operation) || WRITE_OPERATIONS.has(operation)) {
        const input = JSON.parse(body) as Record<string, unknown>;
        input.ReturnConsumedCapacity ??= 'INDEXES';
        body = JSON.stringify(input);
      }
      const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host };
      headers['content-length'] = String(Buffer.byteLength(body));
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: incoming.url,
          method: incoming.method,
          headers,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const responseBody = Buffer.concat(parts);
            if (operation !== 'unknown') record(operation, responseBody.toString('utf8'));
            outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
            outgoing.end(responseBody);
          });
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    usage: () => structuredClone(usage),
    reset: () => {
      usage = emptyUsage();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
