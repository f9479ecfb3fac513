import { handleCallbackTask } from '../../shared/app/callback-task.js';
import type { AppContext } from '../../shared/app/context.js';
import { CallbackTaskInputSchema } from '../../shared/workflow/task-contract.js';
import { observedAwsContext } from '../commons/aws-context.js';
import { keysOfTask, observed } from '../commons/observability.js';

/**
 * The callback task Lambda (`lambda:invoke.waitForTaskToken`): the state machine's payload is validated, then the
 * step or gate is handled. It returns nothing: the token is signalled later, by a decision or at once on replay.
 */
export const createCallbackTaskHandler =
  (ctx: AppContext) =>
  async (event: unknown): Promise<void> =>
    handleCallbackTask(ctx, CallbackTaskInputSchema.parse(event));

const { ctx, obs } = await observedAwsContext();
export const handler = observed(obs, keysOfTask, createCallbackTaskHandler(ctx));
