import type { AppContext } from '../../shared/app/context.js';
import { finishProject } from '../../shared/app/finish-project.js';
import { FinishProjectInputSchema } from '../../shared/workflow/task-contract.js';
import { createAwsContext } from '../commons/aws-context.js';

/** The state machine's last task (`lambda:invoke`): marks the project completed, or notes the chain stopped. */
export const createFinishProjectHandler =
  (ctx: AppContext) =>
  async (event: unknown): Promise<void> =>
    finishProject(ctx, FinishProjectInputSchema.parse(event));

export const handler = createFinishProjectHandler(createAwsContext());
