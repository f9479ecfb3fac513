import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCallbackTask } from '../../shared/app/callback-task.js';
import { silentLogger } from '../../shared/app/logger.js';
import type { CallbackTaskInput } from '../../shared/workflow/task-contract.js';
import { FaultyDocumentClient, isTransaction, transactionConflict } from '../support/faults.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

/**
 * On AWS each callback task is its own Lambda invocation, and a stage's tasks start at the same moment: every one
 * that stores a token adds one to the project's `tokenSeq` on the project row, so their transactions touch one item
 * together and DynamoDB cancels some with `TransactionConflict` (DynamoDB Local never does: injected here). None may
 * be lost: each is tried again, and every token lands, counted once.
 */
describe('task handlers of one stage storing their tokens at the same moment, one invocation each', () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let doc: FaultyDocumentClient | undefined;
  let projectId: string;

  beforeAll(async () => {
    system = await startTestSystem({
      log: silentLogger,
      retry: { attempts: 3, baseDelayMs: 1 },
      wrapDocumentClient: (inner) => {
        doc = new FaultyDocumentClient(inner);
        return doc;
      },
    });
    const created = await new ApiClient(system).post('/projects', 'agent-wang', projectRegistration());
    projectId = created.body.projectId;
    await system.engine.settled();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('stores every redelivered token despite conflicts, each counted once on tokenSeq', async () => {
    // Prepare: every stage-1 task and gate waiting on a token, delivered again with a new one
    const before = await system.ctx.store.loadProject(projectId);
    const execution = before?.project.execution?.name;
    if (!before || !execution) throw new Error('the project has no execution');
    const deliveries: CallbackTaskInput[] = [...before.tokens].flatMap(([key, tokens]) =>
      key.includes('#') || key.includes('/')
        ? []
        : (['task', 'gate'] as const)
            .filter((kind) => tokens[kind])
            .map((kind) => ({
              projectId,
              stepId: key,
              kind: kind === 'task' ? ('step' as const) : ('gate' as const),
              stageIndex: 0,
              execution,
              taskToken: `redelivered-${kind}-${key}`,
            })),
    );
    expect(deliveries.length).toBeGreaterThan(3);
    if (!doc) throw new Error('the faults were not wired');
    doc.fail(isTransaction, transactionConflict, deliveries.length);

    // Act: one invocation each, all at once
    await Promise.all(deliveries.map((input) => handleCallbackTask(system.ctx, input)));

    // Assess
    const after = await system.ctx.store.loadProject(projectId);
    expect(doc.injected).toBe(deliveries.length);
    for (const input of deliveries) {
      const kind = input.kind === 'step' ? 'task' : 'gate';
      expect(after?.tokens.get(input.stepId)?.[kind]?.token).toBe(input.taskToken);
    }
    expect(after?.project.tokenSeq).toBe((before.project.tokenSeq ?? 0) + deliveries.length);
  });
});
