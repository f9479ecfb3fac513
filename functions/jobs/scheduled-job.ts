import { z } from 'zod';
import type { AppContext } from '../../shared/app/context.js';
import { reconcileProject } from '../../shared/app/executions.js';
import { runScheduledJob } from '../../shared/app/scheduled-job.js';
import { observedAwsContext } from '../commons/aws-context.js';
import { observed } from '../commons/observability.js';

/**
 * An execution of a Daiban state machine that ended badly, as EventBridge reports it
 * ("Step Functions Execution Status Change"); its input names the project.
 */
const ExecutionStatusChangeSchema = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({ status: z.string(), name: z.string(), input: z.string().nullable().optional() }),
});

/**
 * The scheduled job on AWS: EventBridge Scheduler invokes it every minute (the same `runScheduledJob` the local
 * runtime runs on its interval), and an EventBridge rule invokes it when an execution fails, times out or is
 * aborted, so that project is reconciled at once.
 */
export const createScheduledJobHandler = (ctx: AppContext) => async (event: unknown) => {
  const change = ExecutionStatusChangeSchema.safeParse(event);
  if (change.success) {
    const input = JSON.parse(change.data.detail.input ?? '{}') as { projectId?: unknown };
    if (typeof input.projectId !== 'string') return { reconciled: 'no project in the execution input' };
    return { reconciled: await reconcileProject(ctx, input.projectId) };
  }
  return runScheduledJob(ctx, { weeklyReport: true });
};

const { ctx, obs } = await observedAwsContext();
export const handler = observed(obs, () => ({}), createScheduledJobHandler(ctx));
