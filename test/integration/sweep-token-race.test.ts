import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleCallbackTask } from '../../shared/app/callback-task.js';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import type { WorkflowEngine } from '../../shared/engine/workflow-engine.port.js';
import type { DocumentSender } from '../../shared/store/dynamo-store.js';
import { beijing } from '../support/beijing-time.js';
import { allSteps, viewProject } from '../support/drive.js';
import { FaultyEngine } from '../support/faults.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

/**
 * The sweep's 超时默认 signals go to the tokens it read, checked in its transaction through the project's `tokenSeq`:
 * a task that stores a new token meanwhile (a redelivery) adds one to it and so fails that check, the item is read
 * again, and the outcome goes to the token the task holds now, not to the one read first.
 */
describe('a task token stored while the sweep deems its step approved', () => {
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  /** a hook run once, just before the next transaction that writes a deemed approval */
  let beforeDeemed: (() => Promise<void>) | undefined;
  const sent: Array<{ token: string; output: Record<string, unknown> }> = [];
  const wrapDocumentClient = (doc: DocumentSender): DocumentSender => ({
    send: async (command) => {
      const hook = beforeDeemed;
      if (
        hook &&
        command instanceof TransactWriteCommand &&
        JSON.stringify(command.input).includes('deemed_approved')
      ) {
        beforeDeemed = undefined;
        await hook();
      }
      return doc.send(command);
    },
  });
  /** the engine, recording every outcome sent; the redelivered token is this test's own (the engine never issued it) */
  class RecordingEngine extends FaultyEngine {
    override async sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<boolean> {
      sent.push({ token, output });
      return token === 'token-redelivered' ? true : super.sendTaskSuccess(token, output);
    }
  }
  const wrapEngine = (engine: WorkflowEngine): WorkflowEngine => new RecordingEngine(engine);
  const t = useTestSystem({ clock, log: silentLogger, wrapDocumentClient, wrapEngine });
  let projectId: string;

  beforeAll(async () => {
    projectId = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await t.system.engine.settled();
    // step 1 (发改局, 1 working day, deemed approval allowed) submitted on Thursday: due Friday
    await t.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));
  });

  it('reads the project again and sends the outcome to the token stored meanwhile', async () => {
    // Prepare: step 1's task delivered again (a new token) between the sweep's read and its commit
    const record = await t.system.ctx.store.loadProject(projectId);
    const execution = record?.project.execution?.name;
    if (!execution) throw new Error('no execution');
    const first = record.tokens.get('1')?.task?.token;
    beforeDeemed = () =>
      handleCallbackTask(t.system.ctx, {
        projectId,
        stepId: '1',
        kind: 'step',
        stageIndex: 0,
        execution,
        taskToken: 'token-redelivered',
      });

    // Act: Monday 30 November
    clock.set(beijing('2026-11-30 09:00'));
    await t.system.runJob();

    // Assess
    const step1 = allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === '1');
    expect(beforeDeemed).toBeUndefined();
    expect(step1?.status).toBe('deemed_approved');
    const outcomes = sent.filter((s) => s.output.stepId === '1' && s.output.outcome === 'deemed_approved');
    expect(outcomes.map((s) => s.token)).toEqual(['token-redelivered']);
    expect(first).toBeDefined();
    expect(outcomes.map((s) => s.token)).not.toContain(first);
  });
});
