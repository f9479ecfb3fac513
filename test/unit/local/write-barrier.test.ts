import { describe, expect, it } from 'vitest';
import { writeBarrier } from '../../../infra/local/write-barrier.js';

// Commands are told apart by their class's name, as lib-dynamodb names them.
class PutCommand {
  constructor(readonly id: string) {}
}
class TransactWriteCommand {
  constructor(readonly id: string) {}
}
class GetCommand {
  constructor(readonly id: string) {}
}

/** A sender whose commands finish only when the test says so, recording what reached it. */
function manualSender() {
  const reached: string[] = [];
  const pending = new Map<string, () => void>();
  return {
    reached,
    finish: (id: string) => pending.get(id)?.(),
    send(command: object) {
      const id = (command as { id: string }).id;
      reached.push(id);
      return new Promise<unknown>((resolve) => pending.set(id, () => resolve(id)));
    },
  };
}

const turn = () => new Promise((r) => setTimeout(r, 0));

describe('the write barrier a backup holds', () => {
  it('waits for the writes under way, holds new ones while it reads, and lets reads through', async () => {
    // Prepare: one transaction under way
    const inner = manualSender();
    const doc = writeBarrier(inner);
    const underWay = doc.send(new TransactWriteCommand('tx-1'));
    let readStartedAfter: string[] = [];

    // Act: a backup asks for the barrier; meanwhile a put and a get arrive
    const backup = doc.hold(async () => {
      readStartedAfter = [...inner.reached];
      const get = doc.send(new GetCommand('get-1'));
      await turn();
      inner.finish('get-1');
      await get;
      return 'snapshot';
    });
    const put = doc.send(new PutCommand('put-1'));
    await turn();
    const beforeTxFinished = [...inner.reached];
    inner.finish('tx-1');
    await underWay;
    const result = await backup;
    await turn();
    inner.finish('put-1');
    await put;

    // Assess
    expect(beforeTxFinished).toEqual(['tx-1']); // the backup waited, the put was held
    expect(readStartedAfter).toEqual(['tx-1']);
    expect(result).toBe('snapshot');
    expect(inner.reached).toEqual(['tx-1', 'get-1', 'put-1']); // the get during the hold, the put after it
  });

  it('lets writes straight through when no backup holds it', async () => {
    // Prepare
    const inner = manualSender();
    const doc = writeBarrier(inner);

    // Act
    const put = doc.send(new PutCommand('put-1'));
    inner.finish('put-1');

    // Assess
    expect(await put).toBe('put-1');
  });
});
