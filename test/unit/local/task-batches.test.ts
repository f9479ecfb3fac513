import { describe, expect, it } from 'vitest';
import { taskBatches } from '../../../infra/local/task-batches.js';

type Task = { projectId: string; stepId: string };

describe('the local runtime gathers the tasks of one project that arrive together', () => {
  it('runs the calls made in the same turn for one project as one batch, and other projects apart', async () => {
    // Prepare
    const batches: string[][] = [];
    const tasks = taskBatches(
      (task: Task) => task.projectId,
      async (batch) => {
        batches.push(batch.map((t) => `${t.projectId}:${t.stepId}`));
      },
    );

    // Act
    await Promise.all([
      tasks({ projectId: 'A', stepId: '1' }),
      tasks({ projectId: 'B', stepId: '1' }),
      tasks({ projectId: 'A', stepId: '2' }),
    ]);
    await tasks({ projectId: 'A', stepId: '3' });

    // Assess
    expect(batches).toEqual([['A:1', 'A:2'], ['B:1'], ['A:3']]);
  });

  it('tries each call of a failed batch again alone, so only the bad one fails', async () => {
    // Prepare
    const runs: string[][] = [];
    const tasks = taskBatches(
      (task: Task) => task.projectId,
      async (batch) => {
        runs.push(batch.map((t) => t.stepId));
        if (batch.some((t) => t.stepId === 'bad')) throw new Error('no such step');
      },
    );

    // Act
    const outcomes = await Promise.allSettled([
      tasks({ projectId: 'A', stepId: '1' }),
      tasks({ projectId: 'A', stepId: 'bad' }),
      tasks({ projectId: 'A', stepId: '2' }),
    ]);

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(runs[0]).toEqual(['1', 'bad', '2']);
    expect(runs.slice(1).sort()).toEqual([['1'], ['2'], ['bad']]);
  });

  it('waits for its turn before running a batch', async () => {
    // Prepare
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tasks = taskBatches(
      (task: Task) => task.projectId,
      async (batch) => {
        order.push(`ran ${batch.length}`);
      },
      async (work) => {
        await gate;
        order.push('turn');
        await work();
      },
    );

    // Act
    const first = tasks({ projectId: 'A', stepId: '1' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = tasks({ projectId: 'A', stepId: '2' });
    release();
    await Promise.all([first, second]);

    // Assess: the call that came while the batch waited for its turn joined it
    expect(order).toEqual(['turn', 'ran 2']);
  });
});
