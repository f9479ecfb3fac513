import type { Chain } from './chain.js';
import { type ItemTokens, itemKey, type Project, type ProjectStep } from './project.js';

/**
 * What a change to a project is, before anything is written: the domain decides it from the project as read
 * (its items and counters), and the application writes it in one transaction, then sends what it owes.
 */

/** Event types on a project's timeline (痕迹管理). */
export type ProjectEventType =
  | 'project_created'
  | 'project_imported'
  | 'step_imported'
  | 'agent_reassigned'
  | 'project_code_assigned'
  | 'step_opened'
  | 'step_blocked'
  | 'step_unblocked'
  | 'step_submitted'
  | 'milestone_reported'
  | 'step_decided'
  | 'supplement_requested'
  | 'step_resubmitted'
  | 'joint_review_concluded'
  | 'joint_supplement_notice'
  | 'step_reapplied'
  | 'step_reopened'
  | 'stage_reopened'
  | 'step_withdrawn'
  | 'deferred_materials_supplied'
  | 'deferred_materials_overdue'
  | 'commitment_verified'
  | 'commitment_verification_overdue'
  | 'approval_revoked'
  | 'clock_paused'
  | 'clock_resumed'
  | 'due_recomputed'
  | 'deemed_notice_corrected'
  | 'sla_light_changed'
  | 'sla_breached'
  | 'sla_escalated'
  | 'stage_completed'
  | 'chain_stopped'
  | 'execution_renewed'
  | 'project_returned'
  | 'project_reactivated'
  | 'project_withdrawn'
  | 'project_completed';

/** An event before it gets its id, time and actor. */
export type EventDraft = {
  type: ProjectEventType;
  stepId?: string;
  partId?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  data?: Record<string, unknown>;
};

/** Counter increments and field changes of the project item, with the state they expect. */
export type ProjectChange = {
  add?: Partial<Record<'stepsClosed' | 'decisions' | 'supplements', number>>;
  set?: Partial<
    Pick<
      Project,
      | 'status'
      | 'returnedAt'
      | 'completedAt'
      | 'withdrawnAt'
      | 'executionEndedAt'
      | 'currentStageIndex'
      | 'rewinds'
      | 'leadDepartmentId'
      | 'execution'
      | 'renewAt'
      | 'agentId'
      | 'code'
      | 'codeKind'
      | 'provisionalCode'
    >
  >;
  /** fields removed (e.g. the execution once nothing waits any longer) */
  remove?: Array<'execution' | 'renewAt' | 'executionEndedAt' | 'returnedAt'>;
  /** the change applies only while the project is still like this */
  expect?: { status?: Project['status']; executionName?: string | null; agentId?: string; code?: string };
};

/** What the running execution is owed once the change is committed. */
export type Owed =
  /** the step (or, for a joint review, each of its parts) reports its outcome to its waiting task */
  | { kind: 'report'; stepId: string }
  /** the step's prerequisite gate may open */
  | { kind: 'open_gate'; stepId: string };

/** One item before and after. */
export type ItemChange = { before: ProjectStep; after: ProjectStep };

export type Transition = {
  changes: ItemChange[];
  events: EventDraft[];
  project?: ProjectChange;
  owed: Owed[];
  /**
   * Items whose current state the outcome relied on without changing them: the transaction checks their versions,
   * so a concurrent change to any of them makes this one try again (see `shared/app/commit.ts`).
   */
  relies: string[];
};

/** A project as read in one go: the project, its steps and parts by item key, and the tokens stored on them. */
export type ProjectState = {
  project: Project;
  chain: Chain;
  items: ReadonlyMap<string, ProjectStep>;
  tokens: ReadonlyMap<string, ItemTokens>;
  /**
   * Items not written yet, derived from the chain as registration left them (see `initial-items.ts`): a change to
   * one creates it, and a check on one checks it is still not written.
   */
  unwritten?: ReadonlySet<string>;
};

/** The state with these changes applied (a pure copy). */
export function applyChanges(state: ProjectState, changes: readonly ItemChange[]): ProjectState {
  if (changes.length === 0) return state;
  const items = new Map(state.items);
  for (const change of changes) items.set(itemKey(change.after), change.after);
  return { ...state, items };
}

/** The state once these changes are written: {@link applyChanges}, and the items they change no longer unwritten. */
export function afterWriting(state: ProjectState, changes: readonly ItemChange[]): ProjectState {
  const after = applyChanges(state, changes);
  if (!state.unwritten || changes.length === 0) return after;
  const unwritten = new Set(state.unwritten);
  for (const change of changes) unwritten.delete(itemKey(change.after));
  return { ...after, unwritten };
}

/** The parts of a joint step, in the chain's order. */
export function partsOf(state: Pick<ProjectState, 'items'>, stepId: string): ProjectStep[] {
  return [...state.items.values()].filter((i) => i.stepId === stepId && i.partId !== undefined);
}

/** A change that moves an item on: its version goes up by one. */
export const changed = (before: ProjectStep, after: Omit<ProjectStep, 'version'>): ItemChange => ({
  before,
  after: { ...after, version: before.version + 1 },
});

/**
 * Changes of the same item made one after the other, as one change (a transaction writes an item once): the first
 * `before`, the last `after`, one version up.
 */
export function squashChanges(changes: readonly ItemChange[]): ItemChange[] {
  const byKey = new Map<string, ItemChange>();
  for (const change of changes) {
    const key = itemKey(change.after);
    const earlier = byKey.get(key);
    byKey.set(
      key,
      earlier
        ? { before: earlier.before, after: { ...change.after, version: earlier.before.version + 1 } }
        : change,
    );
  }
  return [...byKey.values()];
}

/** Two transitions of one project, one after the other, as one (its items written once, its counters summed). */
export function combineTransitions(first: Transition, second: Transition): Transition {
  const add: NonNullable<ProjectChange['add']> = { ...first.project?.add };
  for (const [key, value] of Object.entries(second.project?.add ?? {}) as Array<[keyof typeof add, number]>) {
    add[key] = (add[key] ?? 0) + value;
  }
  const project: ProjectChange | undefined =
    first.project || second.project
      ? {
          add,
          set: { ...first.project?.set, ...second.project?.set },
          remove: [...new Set([...(first.project?.remove ?? []), ...(second.project?.remove ?? [])])],
          expect: { ...first.project?.expect, ...second.project?.expect },
        }
      : undefined;
  return {
    changes: squashChanges([...first.changes, ...second.changes]),
    events: [...first.events, ...second.events],
    ...(project ? { project } : {}),
    owed: [...first.owed, ...second.owed],
    relies: [...new Set([...first.relies, ...second.relies])],
  };
}

/**
 * The project as the store writes a transition over it: its item changes, and its project change (fields set and
 * removed, counters added). What the invariants are checked on before anything is written.
 */
export function stateAfter(state: ProjectState, transition: Transition): ProjectState {
  const written = applyChanges(state, transition.changes);
  const change = transition.project;
  if (!change) return written;
  const project: Project = { ...written.project, ...change.set };
  for (const [counter, by] of Object.entries(change.add ?? {}) as Array<
    [keyof NonNullable<ProjectChange['add']>, number | undefined]
  >) {
    project[counter] += by ?? 0;
  }
  for (const field of change.remove ?? []) delete project[field];
  return { ...written, project };
}
