import { z } from 'zod';
import { assertAllowed } from '../domain/access-policy.js';
import { type ProjectAttributes, resolveProjectAttributes } from '../domain/applicability.js';
import type { Chain } from '../domain/chain.js';
import { creditCodeProblem } from '../domain/credit-code.js';
import { InvalidInputError } from '../domain/errors.js';
import { projectItems } from '../domain/initial-items.js';
import { assertCodeYearPassed, codeTaken, NationalCodeSchema } from '../domain/national-code.js';
import { StorableNumberSchema } from '../domain/numbers.js';
import type { Principal } from '../domain/principal.js';
import type { Project } from '../domain/project.js';
import { registerProject, registrationCode } from '../domain/project-registration.js';
import { stepsOpening } from '../domain/steps/opening.js';
import { chinaDate } from '../domain/working-days.js';
import { CommitConflictError, type OutboxEntry, type StoreOp } from '../store/store.port.js';
import { assertChainDeployed } from './chain-deployed.js';
import { outboxEntry, retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { newExecution, startSend } from './executions.js';
import { claimFailed } from './national-code.js';
import { referenceData } from './reference-cache.js';
import { relay } from './relay.js';

export const CreateProjectInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  enterprise: z.strictObject({
    name: z.string().trim().min(1).max(200),
    /** 统一社会信用代码, 18 characters with a check character (GB 32100-2015) */
    creditCode: z
      .string()
      .trim()
      .max(18, 'a unified social credit code has 18 characters')
      .toUpperCase()
      .superRefine((code, check) => {
        const problem = creditCodeProblem(code);
        if (problem)
          check.addIssue({ code: 'custom', message: `invalid unified social credit code: ${problem}` });
      }),
  }),
  /** total investment in CNY (元) */
  investmentCny: z.number().min(0.01).max(1e13).pipe(StorableNumberSchema),
  chainId: z.string().min(1).max(60),
  attributes: z
    .record(z.string().min(1).max(40), z.union([z.string().max(200), StorableNumberSchema, z.boolean()]))
    .refine((a) => Object.keys(a).length <= 40, 'at most 40 attributes')
    .default({}),
  agentId: z.string().min(1).max(64),
  /** the code the national platform already issued (项目代码); absent: Daiban gives a provisional one */
  projectCode: NationalCodeSchema.optional(),
});
export type CreateProjectInput = z.infer<typeof CreateProjectInputSchema>;

/**
 * Registers a project on the latest version of its chain: the project, its project code (项目代码), the first event,
 * the agent assignment and the start of its first execution, in one transaction. Its steps and parts are derived
 * from the chain until something changes them (see `initial-items.ts`): the first stage's task handlers create those
 * they open. With `projectId` (derived from an Idempotency-Key) a repeat finds the project already there and
 * returns it.
 *
 * The code's serial is drawn from the year's sequence before the transaction, from a block of serials the process
 * took by one atomic counter update (see `SerialBlocks`): many registrations at once never wait on each other (a
 * serial read and taken inside each transaction made concurrent registrations collide and fail, capping a district
 * at a few a second), and most registrations do not touch the counter at all. The code stays unique (the
 * transaction claims it) and readable (year, region, industry, type, serial); the price is gaps, as the national
 * platform's codes have too: a registration whose transaction fails leaves its serial unused, and so does a process
 * that stops with serials of its block left. Within one process serials follow the order registered; across several
 * Lambda containers, each drawing its own block, they are no longer in registration order.
 */
export async function createProject(
  ctx: AppContext,
  principal: Principal,
  input: CreateProjectInput,
  options: { projectId?: string; requestHash?: string } = {},
): Promise<{ project: Project; replayed: boolean; opening: string[] }> {
  assertAllowed(principal, 'project.register', { agentId: input.agentId });
  // read together: the chain's latest version (as this process last saw it; the transaction checks it is still the
  // latest), and the agent (from the reference cache: a second at most old)
  const [seen, agent] = await Promise.all([
    ctx.chains.latestSeen(input.chainId),
    referenceData(ctx.store).user(input.agentId),
  ]);
  let on: OnChain | undefined = await onChain(ctx, seen, input);
  if (agent?.role !== 'agent') {
    throw new InvalidInputError(
      'PROJECT.UNKNOWN_AGENT',
      `agentId '${input.agentId}' is not a known agent (代办员)`,
    );
  }
  const projectId = options.projectId ?? ctx.newId();

  type Attempt = { existing: Project } | { created: Project; entry: OutboxEntry; opening: string[] };
  let drawn: { year: number; serial: number } | undefined;
  const project = await retryOnConflict(async (): Promise<Attempt> => {
    // another process published a version since this one last looked: register on it
    on ??= await onChain(ctx, await ctx.chains.latestSeen(input.chainId), input);
    const { chain, head, attributes } = on;
    if (options.projectId) {
      const existing = await ctx.store.getProject(options.projectId);
      if (existing) return { existing };
    }
    const now = ctx.clock.now();
    const at = now.toISOString();
    const year = Number(chinaDate(now).slice(0, 4));
    const national = input.projectCode;
    if (national) assertCodeYearPassed(national, now, 'projectCode');
    if (national && (await ctx.store.findProjectIdByCode(national))) throw codeTaken(national);
    // one number per registration without a national code, kept if the transaction is tried again
    if (!national && drawn?.year !== year) {
      const serial = await ctx.serials.draw(`project-code#${year}#${ctx.config.regionCode}`);
      drawn = { year, serial };
    }
    const code = registrationCode(national, year, ctx.config, drawn?.serial);
    const first = newExecution(ctx, projectId, 0, 1, now);
    const registered = registerProject({
      chain,
      projectId,
      registration: input,
      attributes,
      code,
      agentId: agent.userId,
      first,
      registeredBy: principal.userId,
      now,
      ...(options.requestHash ? { requestHash: options.requestHash } : {}),
    });
    const { project } = registered;
    const entry = outboxEntry(ctx, projectId, now, [startSend(project, first.execution)]);
    const ops: StoreOp[] = [
      { op: 'claim_code', code: code.code, projectId },
      { op: 'create_project', project },
      { op: 'put_event', event: newEvent(ctx, { ...registered.event, projectId, actor: principal, at }) },
      { op: 'put_assignment', assignment: { ...registered.assignment, assignmentId: ctx.newId() } },
      { op: 'put_outbox', entry },
      { op: 'check_chain_head', chainId: chain.id, version: head },
    ];
    try {
      await ctx.store.commit(ops);
    } catch (error) {
      if (headMoved(error)) {
        ctx.chains.forgetLatest(chain.id);
        on = undefined;
      }
      // a national code another registration claimed meanwhile (a provisional one is retried with the next serial)
      if (national && claimFailed(error)) throw codeTaken(national);
      throw error;
    }
    // the project as the next read sees it (every step derived from the chain): its first stage's steps are
    // opening (即写即读)
    const { items } = projectItems(chain, project, []);
    return { created: project, entry, opening: stepsOpening({ project, chain, items, tokens: new Map() }) };
  });
  if ('existing' in project) return { project: project.existing, replayed: true, opening: [] };
  // the first stage's task handlers delete the entry once the execution runs (one request fewer here)
  await relay(ctx, project.entry, { leaveStartsToTasks: true });
  return { project: project.created, replayed: false, opening: project.opening };
}

/** The chain version a registration goes on, the head it was read from, and the project's attributes on it. */
type OnChain = { chain: Chain; head: number | undefined; attributes: ProjectAttributes };

/** The latest version seen of the chain, refused (409) if it cannot run yet, with the project's attributes on it. */
async function onChain(
  ctx: AppContext,
  { chain, head }: { chain: Chain; head: number | undefined },
  input: CreateProjectInput,
): Promise<OnChain> {
  await assertChainDeployed(ctx, chain);
  return { chain, head, attributes: resolveProjectAttributes(chain, input.attributes) };
}

const headMoved = (error: unknown): boolean =>
  error instanceof CommitConflictError && error.failed.some((op) => op.op === 'check_chain_head');
