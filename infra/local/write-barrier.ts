/** What the store sends its commands through (`DocumentSender` in shared/store/dynamo-store.ts, structurally). */
type DocumentSender = { send(command: object): Promise<unknown> };

const WRITES = new Set([
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'TransactWriteCommand',
  'BatchWriteCommand',
]);

export type WriteBarrier = DocumentSender & {
  /**
   * Runs `work` with no write of the runtime's in flight: waits for the writes under way to finish, holds every
   * new one until `work` is done (reads go on), then lets them through in order. One hold at a time.
   */
  hold<T>(work: () => Promise<T>): Promise<T>;
};

/**
 * The local runtime's writes, held still while `POST /admin/backup` reads the table: every change the runtime
 * makes is one command (a transaction, a put, an update, a delete), so a scan with none in flight reads the table
 * as a crash at that instant would leave it, which is what a restart already resumes from. The runtime lease is
 * renewed through its own client, not this one, so a long backup never loses the lease.
 *
 * @example const doc = writeBarrier(queuedSender(table.doc)); await doc.hold(() => scanTable(client, name));
 */
export function writeBarrier(inner: DocumentSender): WriteBarrier {
  let inFlight = 0;
  let held: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  return {
    async send(command) {
      if (!WRITES.has(command.constructor.name)) return inner.send(command);
      while (held) await held;
      inFlight += 1;
      try {
        return await inner.send(command);
      } finally {
        inFlight -= 1;
        if (inFlight === 0) drained?.();
      }
    },
    async hold(work) {
      while (held) await held;
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      try {
        while (inFlight > 0) {
          await new Promise<void>((resolve) => {
            drained = resolve;
          });
        }
        drained = undefined;
        return await work();
      } finally {
        held = undefined;
        release();
      }
    },
  };
}
