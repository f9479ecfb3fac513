import { type StatAddition, statsOf } from '../domain/counted-against.js';
import { ConflictError } from '../domain/errors.js';
import type { Actor } from '../domain/principal.js';
import { itemKey, type ProjectStep, type TokenRef } from '../domain/project.js';
import { brokenInvariants, describeBroken, invariantKey } from '../domain/project-invariants.js';
import {
  afterWriting,
  applyChanges,
  type ProjectState,
  partsOf,
  stateAfter,
  type Transition,
} from '../domain/transition.js';
import { workSummaryOf } from '../domain/work-summary.js';
import { CommitConflictError, type OutboxEntry, type OutboxSend, type StoreOp } from '../store/store.port.js';
import type { StepTaskOutcome } from '../workflow/task-contract.js';
import { agentNotices, type NoticeReference } from './agent-notices.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { relay } from './relay.js';
import { statsOps } from './stats-effects.js';

/**
 * The one way a change is written (DESIGN.md decisions 3 and 7): the domain's transition becomes one DynamoDB
 * transaction (items conditional on their versions, the items relied on checked, the event, the project counters
 * and the outbox of owed signals), then the relay sends the signals. A signal that fails is left to the scheduled
 * job: the caller is answered with the committed change either way.
 */

/** A callback token a task handler stores on its item. */
export type StoredToken = { itemKey: string; kind: 'task' | 'gate'; ref: TokenRef };

export type ApplyOptions = {
  actor: Actor;
  /** sends owed besides the transition's (an execution to start or stop) */
  sends?: OutboxSend[];
  /** more operations of the same transaction */
  ops?: StoreOp[];
  /**
   * Task handlers' own tokens, stored in the same transaction (each replacing the one read, if it is still that
   * one); signals the change owes those items go to them.
   */
  storeTokens?: StoredToken[];
  /** counters the change adds besides those its item changes imply (e.g. a breach the sweep found) */
  stats?: StatAddition[];
  /**
   * What the caller read with the project for the notices the change may issue (departments, the year's notice
   * numbers): given, nothing is read between the rule and the commit.
   */
  reference?: NoticeReference;
  /**
   * The items relied on checked by one condition, the project's `workSeq` as read (each transaction writing an item
   * of the project adds one to it, see `withWorkSummary`), instead of one check each; only when the transaction
   * updates the project anyway. A task handler's: many gates' items, nothing else writing them meanwhile.
   */
  reliesThroughProject?: true;
};

/** The outcome a closed (or blocked) step or part reports to its waiting task. */
export function stepOutcome(step: ProjectStep): StepTaskOutcome | undefined {
  if (step.blocked) return 'blocked';
  switch (step.status) {
    case 'approved':
      return step.outcome === 'approved_with_conditions' ? 'approved_with_conditions' : 'approved';
    case 'deemed_approved':
    case 'not_applicable':
    case 'rejected':
    case 'withdrawn':
      return step.status;
    default:
      return undefined;
  }
}

/**
 * The signals a transition owes, with the tokens they go to (as read), and the token checks that make the read
 * safe: if a token is stored or replaced before the commit, the commit fails and the change is tried again.
 */
export function resolveOwed(
  state: ProjectState,
  transition: Transition,
  stored: readonly StoredToken[] = [],
): { sends: OutboxSend[]; checks: StoreOp[] } {
  const after = applyChanges(state, transition.changes);
  const { projectId } = state.project;
  const sends: OutboxSend[] = [];
  const checks: StoreOp[] = [];
  const tokenOf = (key: string, kind: 'task' | 'gate') => {
    const own = stored.find((t) => t.itemKey === key && t.kind === kind);
    if (own) return own.ref.token;
    const ref = state.tokens.get(key)?.[kind];
    checks.push({ op: 'check_token', projectId, itemKey: key, kind, token: ref?.token });
    return ref?.token;
  };
  for (const owed of transition.owed) {
    const step = after.items.get(owed.stepId);
    if (!step) continue;
    if (owed.kind === 'open_gate') {
      const token = tokenOf(owed.stepId, 'gate');
      if (token)
        sends.push({
          type: 'task_success',
          token,
          output: { stepId: owed.stepId, open: true },
          what: `gate of ${owed.stepId}`,
        });
      continue;
    }
    const outcome = stepOutcome(step);
    if (!outcome) continue;
    const targets = step.kind === 'joint' ? partsOf(after, step.stepId) : [step];
    for (const target of targets) {
      const token = tokenOf(itemKey(target), 'task');
      if (!token) continue;
      sends.push({
        type: 'task_success',
        token,
        output: { stepId: step.stepId, ...(target.partId ? { partId: target.partId } : {}), outcome },
        what: `${itemKey(target)} ${outcome}`,
      });
    }
  }
  return { sends, checks };
}

/**
 * Refuses a transition that would make the project contradict itself (see `project-invariants.ts`): a completed
 * project with an open step, a stage behind the project with a step not passed, an approval standing on a rejected
 * or revoked prerequisite, a returned project with nothing rejected. Only what the transition would break is
 * refused: a contradiction already stored (written before these checks) does not stop the change that repairs it.
 * Nothing is written; the caller gets a 409 `PROJECT.INVARIANT` naming what would break.
 */
export function assertInvariants(state: ProjectState, transition: Transition): void {
  const before = new Set(brokenInvariants(state).map(invariantKey));
  const broken = brokenInvariants(stateAfter(state, transition)).filter((b) => !before.has(invariantKey(b)));
  if (broken.length === 0) return;
  throw new ConflictError(
    'PROJECT.INVARIANT',
    `this change would make project ${state.project.code} contradict itself: ${describeBroken(broken)}; nothing was written`,
    { broken },
  );
}

/**
 * The writes of a transition, not yet committed: the item changes, the checks of what it relied on, its events, the
 * project change, the outbox entry of what it owes, and the counters it adds (kept apart, so several projects'
 * transitions can share one transaction and one counter item each).
 */
export function transitionOps(
  ctx: AppContext,
  state: ProjectState,
  transition: Transition,
  options: ApplyOptions,
  now: Date,
): { ops: StoreOp[]; entry?: OutboxEntry; stats: StatAddition[] } {
  assertInvariants(state, transition);
  const at = now.toISOString();
  const { projectId } = state.project;
  const { sends: owedSends, checks } = resolveOwed(state, transition, options.storeTokens);
  const tokenOps: StoreOp[] = (options.storeTokens ?? []).flatMap((stored): StoreOp[] => [
    { op: 'put_token', projectId, itemKey: stored.itemKey, kind: stored.kind, ref: stored.ref },
    {
      op: 'check_token',
      projectId,
      itemKey: stored.itemKey,
      kind: stored.kind,
      token: state.tokens.get(stored.itemKey)?.[stored.kind]?.token,
    },
  ]);
  const sends = [...owedSends, ...(options.sends ?? [])];
  const changedKeys = new Set(transition.changes.map((c) => itemKey(c.after)));
  const ops: StoreOp[] = [
    ...transition.changes.map(
      (c): StoreOp =>
        // an item derived from the chain until now is created, on condition that nobody created it meanwhile
        state.unwritten?.has(itemKey(c.after))
          ? { op: 'put_item', item: c.after }
          : { op: 'update_item', before: c.before, after: c.after },
    ),
    ...checks,
    ...tokenOps,
    ...transition.events.map(
      (draft): StoreOp => ({
        op: 'put_event',
        event: newEvent(ctx, { ...draft, projectId, actor: options.actor, at }),
      }),
    ),
    ...(transition.project
      ? [{ op: 'update_project', projectId, at, change: transition.project } as const]
      : []),
    ...(options.ops ?? []),
  ];
  withWorkSummary(state, transition, ops, at);
  const itemChecks = transition.relies
    .filter((key) => !changedKeys.has(key))
    .flatMap((key): StoreOp[] => {
      const item = state.items.get(key);
      if (!item) return [];
      return [
        state.unwritten?.has(key) ? { op: 'check_item', item, unwritten: true } : { op: 'check_item', item },
      ];
    });
  const update = ops.findIndex((op) => op.op === 'update_project' && op.projectId === projectId);
  const project = ops[update];
  if (options.reliesThroughProject && itemChecks.length > 0 && project?.op === 'update_project') {
    ops[update] = { ...project, expectWorkSeq: state.project.workSeq ?? 0 };
  } else {
    ops.push(...itemChecks);
  }
  const entry = sends.length > 0 ? outboxEntry(ctx, projectId, now, sends) : undefined;
  if (entry) ops.push({ op: 'put_outbox', entry });
  return {
    ops,
    ...(entry ? { entry } : {}),
    stats: [...statsOf(state, transition, now, ctx.calendar), ...(options.stats ?? [])],
  };
}

/**
 * The agent's workbench summary of the project as the transaction leaves it (work-summary.ts), on the project's
 * update (one is added, leaving `updatedAt` alone, when the change has none): its items after the change and after
 * the items the same transaction puts (a stage reached), the ones still derived from the chain left out.
 */
function withWorkSummary(state: ProjectState, transition: Transition, ops: StoreOp[], at: string): void {
  const { projectId } = state.project;
  const writesItems = ops.some(
    (op) => (op.op === 'put_item' || op.op === 'update_item') && itemOf(op).projectId === projectId,
  );
  // nothing of the project changes: its summary stays as it is
  if (!transition.project && !writesItems) return;
  const after = stateAfter(state, transition);
  const items = new Map(after.items);
  const written = new Set<string>(transition.changes.map((c) => itemKey(c.after)));
  for (const op of ops) {
    if (op.op !== 'put_item' && op.op !== 'update_item') continue;
    const item = itemOf(op);
    if (item.projectId !== projectId) continue;
    items.set(itemKey(item), item);
    written.add(itemKey(item));
  }
  for (const key of state.unwritten ?? []) if (!written.has(key)) items.delete(key);
  const work = workSummaryOf(
    items.values(),
    after.project.currentStageIndex,
    (state.project.workSeq ?? 0) + 1,
  );
  const index = ops.findIndex((op) => op.op === 'update_project' && op.projectId === projectId);
  const update = ops[index];
  if (update?.op === 'update_project') ops[index] = { ...update, work };
  else ops.push({ op: 'update_project', projectId, at, change: {}, work, touch: false });
}

const itemOf = (op: Extract<StoreOp, { op: 'put_item' | 'update_item' }>): ProjectStep =>
  op.op === 'put_item' ? op.item : op.after;

/**
 * Writes a transition in one transaction (with the notices it puts before the agent) and relays what it owes.
 * Returns the project state as written.
 */
export async function applyTransition(
  ctx: AppContext,
  state: ProjectState,
  transition: Transition,
  options: ApplyOptions,
): Promise<ProjectState> {
  const now = ctx.clock.now();
  const notices = await agentNotices(ctx, state, transition, now, undefined, options.reference);
  const { ops, entry, stats } = transitionOps(
    ctx,
    state,
    transition,
    {
      ...options,
      ops: [...(options.ops ?? []), ...notices.ops],
      sends: [...(options.sends ?? []), ...notices.sends],
    },
    now,
  );
  await ctx.store.commit([...ops, ...statsOps(stats, now)]);
  if (entry) await relay(ctx, entry);
  return afterWriting(state, transition.changes);
}

export function outboxEntry(ctx: AppContext, projectId: string, now: Date, sends: OutboxSend[]): OutboxEntry {
  return {
    projectId,
    outboxId: ctx.newId(),
    createdAt: now.toISOString(),
    retryAt: new Date(now.getTime() + ctx.spine.outboxGraceSeconds * 1000).toISOString(),
    attempts: 0,
    sends,
  };
}

/**
 * Runs a read–decide–write attempt again when its transaction found something it relied on changed (a token
 * stored, a sibling decided at the same moment). Each attempt reads afresh, so a change that is no longer allowed
 * (the step was decided meanwhile) fails with the domain's own reason; one that keeps colliding gets a 409.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof CommitConflictError)) throw error;
      if (i >= attempts) {
        throw new ConflictError(
          'STORE.BUSY',
          'the project kept changing while this request was being saved; reload it and try again',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * i));
    }
  }
}
