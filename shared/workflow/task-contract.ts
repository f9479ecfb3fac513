import { z } from 'zod';

/**
 * The contract between the generated state machine and the task handlers.
 * The same payloads arrive from AWS Step Functions (lambda:invoke.waitForTaskToken) and from the local engine.
 */

/** Payload of a callback task: `step` is the step's own task, `gate` waits for its in-stage prerequisites. */
export const CallbackTaskInputSchema = z.strictObject({
  projectId: z.string().min(1),
  stepId: z.string().min(1),
  kind: z.enum(['step', 'gate']),
  stageIndex: z.number().int().min(0),
  taskToken: z.string().min(1),
});
export type CallbackTaskInput = z.infer<typeof CallbackTaskInputSchema>;

/** Outcome a step task reports back; `blocked` means a prerequisite was rejected so the step never opened. */
export const StepTaskOutcomeSchema = z.enum([
  'approved',
  'approved_with_conditions',
  'deemed_approved',
  'not_applicable',
  'rejected',
  'blocked',
]);
export type StepTaskOutcome = z.infer<typeof StepTaskOutcomeSchema>;

/** What SendTaskSuccess carries for a step task. */
export type StepTaskOutput = { stepId: string; outcome: StepTaskOutcome };
/** What SendTaskSuccess carries for a gate. */
export type GateTaskOutput = { stepId: string; open: true };

/** Payload of the final, non-callback task that marks the project completed or returned. */
export const FinishProjectInputSchema = z.strictObject({
  projectId: z.string().min(1),
  outcome: z.enum(['completed', 'returned']),
});
export type FinishProjectInput = z.infer<typeof FinishProjectInputSchema>;

/** The execution input: one execution per project, named by the project id. */
export type ExecutionInput = { projectId: string };

/** Placeholders in the generated ASL that CDK fills with `definitionSubstitutions`. */
export const AslSubstitutions = {
  callbackTaskFunctionArn: 'CallbackTaskFunctionArn',
  finishProjectFunctionArn: 'FinishProjectFunctionArn',
} as const;
