/** What the store sends its commands through (`DocumentSender` in shared/store/dynamo-store.ts, structurally). */
type DocumentSender = { send(command: object): Promise<unknown> };

/**
 * DynamoDB Local is one Java process on the same machine: it answers a few requests at a time well, and more only
 * wait inside it until the client's request timeout turns them into 503s. So the local system sends at most
 * `concurrency` at once and queues the rest in Node. A request that waits longer than `maxWaitMs` for its turn
 * fails as a timeout (the store answers 503, as it would for a database that does not answer), and the health
 * probe never waits behind queued work: it asks whether the database answers now. (On AWS the store talks to
 * DynamoDB directly: no queue.)
 *
 * @example const store = new DynamoDaibanStore(queuedSender(doc), tableName);
 */
export const LOCAL_DYNAMODB_CONCURRENCY = 16;

export function queuedSender(
  inner: DocumentSender,
  options: { concurrency?: number; maxWaitMs?: number } = {},
): DocumentSender {
  const concurrency = options.concurrency ?? LOCAL_DYNAMODB_CONCURRENCY;
  const maxWaitMs = options.maxWaitMs ?? 5000;
  let running = 0;
  const waiting: Array<() => void> = [];
  const run = async (command: object): Promise<unknown> => {
    running += 1;
    try {
      return await inner.send(command);
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
  return {
    send(command) {
      if (isHealthProbe(command) || running < concurrency) return run(command);
      return new Promise((resolve, reject) => {
        const turn = () => {
          clearTimeout(timer);
          run(command).then(resolve, reject);
        };
        const timer = setTimeout(() => {
          const at = waiting.indexOf(turn);
          if (at >= 0) waiting.splice(at, 1);
          reject(
            Object.assign(new Error(`DynamoDB Local did not take the request within ${maxWaitMs} ms`), {
              name: 'TimeoutError',
            }),
          );
        }, maxWaitMs);
        waiting.push(turn);
      });
    },
  };
}

/** The store's `ping`: a read of the HEALTH key. */
function isHealthProbe(command: object): boolean {
  const input = (command as { input?: { Key?: { PK?: unknown } } }).input;
  return input?.Key?.PK === 'HEALTH';
}
