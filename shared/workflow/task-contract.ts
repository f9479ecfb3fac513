import { z } from 'zod';

/**
 * The contract between the generated state machine and the task handlers.
 * The same payloads arrive from AWS Step Functions (lambda:invoke.waitForTaskToken) and from the local engine.
 */

/**
 * Payload of a callback task: `step` is the step's own task, `gate` waits for its in-stage prerequisites, `part`
 * is one department's part of a joint review. `execution` is the execution's name: a handler ignores an
 * execution the project no longer expects (it was renewed).
 */
export const CallbackTaskInputSchema = z.strictObject({
  projectId: z.string().min(1).max(64),
  stepId: z.string().min(1).max(40),
  partId: z.string().min(1).max(20).optional(),
  kind: z.enum(['step', 'gate', 'part']),
  stageIndex: z.number().int().min(0),
  execution: z.string().min(1).max(80),
  taskToken: z.string().min(1).max(2048),
  /**
   * What the step's gate answered when it opened (a step or part task behind a gate): `outcome` is there when the
   * gate opened because the step was closed for good at registration (`not_applicable`, never reopened), so its
   * task reports that without reading the project again.
   */
  gate: z.looseObject({ outcome: z.string().max(40).optional() }).optional(),
});
export type CallbackTaskInput = z.infer<typeof CallbackTaskInputSchema>;

/**
 * Outcome a step (or each part of a joint review) reports back; `blocked` means a prerequisite was rejected so
 * the step never opened; `withdrawn` that the project was withdrawn.
 */
export const StepTaskOutcomeSchema = z.enum([
  'approved',
  'approved_with_conditions',
  'deemed_approved',
  'not_applicable',
  'rejected',
  'blocked',
  'withdrawn',
]);
export type StepTaskOutcome = z.infer<typeof StepTaskOutcomeSchema>;

/** What SendTaskSuccess carries for a step or part task. */
export type StepTaskOutput = { stepId: string; partId?: string; outcome: StepTaskOutcome };
/** What SendTaskSuccess carries for a gate. */
export type GateTaskOutput = { stepId: string; open: true };

/** Payload of the non-callback task that ends a stage's execution: the stage completed, or the project returned. */
export const FinishStageInputSchema = z.strictObject({
  projectId: z.string().min(1).max(64),
  execution: z.string().min(1).max(80),
  stageIndex: z.number().int().min(0),
  outcome: z.enum(['stage_completed', 'returned']),
});
export type FinishStageInput = z.infer<typeof FinishStageInputSchema>;

/** The execution input: one execution per stage of a project (renewed as a new generation when needed). */
export type ExecutionInput = { projectId: string; stageIndex: number };

/** Placeholders in the generated ASL that CDK fills with `definitionSubstitutions`. */
export const AslSubstitutions = {
  callbackTaskFunctionArn: 'CallbackTaskFunctionArn',
  finishStageFunctionArn: 'FinishStageFunctionArn',
} as const;
