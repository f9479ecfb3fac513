import type { AppContext } from '../../shared/app/context.js';
import { finishStage } from '../../shared/app/finish-stage.js';
import { FinishStageInputSchema } from '../../shared/workflow/task-contract.js';
import { createAwsContext } from '../commons/aws-context.js';

/** The task that ends a stage's execution (`lambda:invoke`): the project moves on, completes, or stops returned. */
export const createFinishStageHandler =
  (ctx: AppContext) =>
  async (event: unknown): Promise<void> =>
    finishStage(ctx, FinishStageInputSchema.parse(event));

export const handler = createFinishStageHandler(createAwsContext());
