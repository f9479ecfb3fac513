import type { AppContext } from '../../shared/app/context.js';
import { finishStage } from '../../shared/app/finish-stage.js';
import { FinishStageInputSchema } from '../../shared/workflow/task-contract.js';
import { observedAwsContext } from '../commons/aws-context.js';
import { keysOfTask, observed } from '../commons/observability.js';

/** The task that ends a stage's execution (`lambda:invoke`): the project moves on, completes, or stops returned. */
export const createFinishStageHandler =
  (ctx: AppContext) =>
  async (event: unknown): Promise<void> =>
    finishStage(ctx, FinishStageInputSchema.parse(event));

const { ctx, obs } = await observedAwsContext();
export const handler = observed(obs, keysOfTask, createFinishStageHandler(ctx));
