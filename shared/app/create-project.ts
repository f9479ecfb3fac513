import { z } from 'zod';
import { appliesTo, resolveProjectAttributes } from '../domain/applicability.js';
import { chainKey } from '../domain/chain.js';
import { creditCodeProblem } from '../domain/credit-code.js';
import { InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Project, ProjectEvent, ProjectStep } from '../domain/project.js';
import { formatProjectCode } from '../domain/project-code.js';
import { chinaDate } from '../domain/working-days.js';
import { assertCanCreateProject } from './access.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';

export const CreateProjectInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  enterprise: z.strictObject({
    name: z.string().trim().min(1).max(200),
    /** 统一社会信用代码, 18 characters with a check character (GB 32100-2015) */
    creditCode: z
      .string()
      .trim()
      .toUpperCase()
      .superRefine((code, check) => {
        const problem = creditCodeProblem(code);
        if (problem)
          check.addIssue({ code: 'custom', message: `invalid unified social credit code: ${problem}` });
      }),
  }),
  /** total investment in CNY (元) */
  investmentCny: z.number().positive().max(1e13),
  chainId: z.string().min(1),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  agentId: z.string().min(1),
});
export type CreateProjectInput = z.infer<typeof CreateProjectInputSchema>;

/**
 * Registers a project on the latest version of its chain, closes the steps that do not apply to it
 * (not_applicable, visibly, by the system), records the agent assignment and starts the execution.
 */
export async function createProject(
  ctx: AppContext,
  principal: Principal,
  input: CreateProjectInput,
): Promise<Project> {
  assertCanCreateProject(principal);
  const chain = await ctx.chains.latest(input.chainId);
  const attributes = resolveProjectAttributes(chain, input.attributes);
  const agent = await ctx.store.getUser(input.agentId);
  if (agent?.role !== 'agent') {
    throw new InvalidInputError(
      'PROJECT.UNKNOWN_AGENT',
      `agentId '${input.agentId}' is not a known agent (代办员)`,
    );
  }

  const now = ctx.clock.now();
  const at = now.toISOString();
  const year = Number(chinaDate(now).slice(0, 4));
  const serial = await ctx.store.nextSerial(`project-code#${year}#${ctx.config.regionCode}`);
  const projectId = ctx.newId();
  const code = formatProjectCode({
    year,
    regionCode: ctx.config.regionCode,
    industryCode: ctx.config.industryCode,
    typeCode: ctx.config.typeCode,
    serial,
  });

  const steps: ProjectStep[] = [];
  const events: ProjectEvent[] = [
    newEvent(ctx, {
      projectId,
      type: 'project_created',
      actor: principal,
      at,
      after: { status: 'active', code, chain: chainKey(chain), agentId: agent.userId },
      data: {
        name: input.name,
        enterprise: input.enterprise,
        investmentCny: input.investmentCny,
        attributes,
      },
    }),
  ];
  chain.stages.forEach((stage, stageIndex) => {
    for (const definition of stage.steps) {
      const applies = appliesTo(definition.applicability, attributes);
      steps.push({
        projectId,
        stepId: definition.id,
        stageIndex,
        departmentId: definition.departmentId,
        kind: definition.kind,
        status: applies ? 'pending' : 'not_applicable',
        version: 1,
        supplementRounds: 0,
        updatedAt: at,
        ...(applies
          ? {}
          : { decidedAt: at, decidedBy: 'system', outcome: 'not_applicable', reason: 'applicability rule' }),
      });
      if (!applies) {
        events.push(
          newEvent(ctx, {
            projectId,
            type: 'step_not_applicable',
            actor: { userId: 'system', role: 'system', name: 'Daiban' },
            at,
            stepId: definition.id,
            after: { status: 'not_applicable' },
            data: { rule: definition.applicability, attributes },
          }),
        );
      }
    }
  });
  const notApplicable = steps.filter((s) => s.status === 'not_applicable').length;
  const project: Project = {
    projectId,
    code,
    name: input.name,
    enterpriseName: input.enterprise.name,
    enterpriseId: input.enterprise.creditCode,
    investmentCny: input.investmentCny,
    chainId: chain.id,
    chainVersion: chain.version,
    attributes,
    agentId: agent.userId,
    status: 'active',
    currentStageIndex: 0,
    createdAt: at,
    updatedAt: at,
    stepsTotal: steps.length,
    stepsClosed: notApplicable,
    decisions: 0,
    supplements: 0,
  };
  await ctx.store.createProject({
    project,
    steps,
    events,
    assignment: {
      projectId,
      assignmentId: ctx.newId(),
      agentId: agent.userId,
      previousAgentId: null,
      reason: 'assigned at registration',
      at,
      by: principal.userId,
    },
  });
  await ctx.engine.startExecution({ projectId, chainKey: chainKey(chain) });
  return project;
}
