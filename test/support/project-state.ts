import type { Chain } from '../../shared/domain/chain.js';
import { departmentsOf } from '../../shared/domain/chain-graph.js';
import { itemKey, type Project, type ProjectStep } from '../../shared/domain/project.js';
import {
  applyChanges,
  type ItemChange,
  type ProjectState,
  type Transition,
} from '../../shared/domain/transition.js';

/**
 * Typed factories for the pure domain's input: a project as read (its project item, every step and part item of
 * its chain, no tokens), built from a chain the way registration builds it, with the items a test is about moved on.
 */

/** Fields of a step or part item a test may set (its identity comes from the chain). */
export type ItemOverrides = Partial<Omit<ProjectStep, 'projectId' | 'stepId' | 'partId' | 'kind'>>;

export const FIXTURE_PROJECT_ID = '01PROJECTFIXTURE0000000000';
const REGISTERED_AT = '2026-03-02T01:00:00.000Z';

/** An instant from a China wall-clock time (Asia/Shanghai, UTC+8): `chinaTime('2026-03-02 10:00')`. */
export const chinaTime = (wallClock: string): Date => new Date(`${wallClock.replace(' ', 'T')}:00+08:00`);

/** An active project on this chain, just registered, assigned to agent-wang; override what the test is about. */
export function fixtureProject(chain: Chain, overrides: Partial<Project> = {}): Project {
  const steps = chain.stages.reduce((n, stage) => n + stage.steps.length, 0);
  return {
    projectId: FIXTURE_PROJECT_ID,
    code: '2026-320115-04-01-000011',
    name: '智能装备产业园一期',
    enterpriseName: '南京金陵智造有限公司',
    enterpriseId: '91320115MA1X0000XX',
    investmentCny: 350_000_000,
    chainId: chain.id,
    chainVersion: chain.version,
    attributes: {},
    agentId: 'agent-wang',
    status: 'active',
    currentStageIndex: 0,
    departments: departmentsOf(chain),
    execution: {
      name: `${FIXTURE_PROJECT_ID}-s0-g1`,
      stageIndex: 0,
      generation: 1,
      startedAt: REGISTERED_AT,
    },
    renewAt: '2026-09-01T00:00:00.000Z',
    createdAt: REGISTERED_AT,
    updatedAt: REGISTERED_AT,
    stepsTotal: steps,
    stepsClosed: 0,
    decisions: 0,
    supplements: 0,
    ...overrides,
  };
}

/** Every step and part item of the chain as registration writes them: pending, version 1, round 1. */
export function fixtureItems(chain: Chain, projectId = FIXTURE_PROJECT_ID): ProjectStep[] {
  return chain.stages.flatMap((stage, stageIndex) =>
    stage.steps.flatMap((definition): ProjectStep[] => {
      const base = {
        projectId,
        stepId: definition.id,
        stageIndex,
        status: 'pending' as const,
        version: 1,
        round: 1,
        supplementRounds: 0,
        updatedAt: REGISTERED_AT,
      };
      return [
        {
          ...base,
          departmentId: definition.departmentId,
          kind: definition.parts ? 'joint' : definition.kind,
        },
        ...(definition.parts ?? []).map(
          (part): ProjectStep => ({
            ...base,
            partId: part.id,
            departmentId: part.departmentId,
            kind: 'approval',
          }),
        ),
      ];
    }),
  );
}

/**
 * A project as read, on this chain: every item pending unless `items` says otherwise (keyed by item key: `1a`, or
 * `drawings#fire` for a part).
 */
export function projectState(
  chain: Chain,
  options: { project?: Partial<Project>; items?: Record<string, ItemOverrides> } = {},
): ProjectState {
  const state: ProjectState = {
    project: fixtureProject(chain, options.project),
    chain,
    items: new Map(fixtureItems(chain).map((item) => [itemKey(item), item])),
    tokens: new Map(),
  };
  return withItems(state, options.items ?? {});
}

/** The state with these items moved on (fields merged over what they were; versions untouched). */
export function withItems(state: ProjectState, items: Record<string, ItemOverrides>): ProjectState {
  const next = new Map(state.items);
  for (const [key, overrides] of Object.entries(items)) {
    const item = next.get(key);
    if (!item) throw new Error(`the fixture project has no item '${key}'`);
    next.set(key, { ...item, ...overrides });
  }
  return { ...state, items: next };
}

/** The state after a transition is written: its item changes and its project change (as the store applies it). */
export function afterTransition(state: ProjectState, transition: Transition): ProjectState {
  const written = applyChanges(state, transition.changes);
  const change = transition.project;
  if (!change) return written;
  const project: Project = { ...written.project, ...change.set };
  for (const [counter, by] of Object.entries(change.add ?? {})) {
    const key = counter as keyof NonNullable<typeof change.add>;
    project[key] += by ?? 0;
  }
  for (const field of change.remove ?? []) delete project[field];
  return { ...written, project };
}

/** The item with this key (`1a`, `drawings#fire`); fails the test when there is none. */
export function itemAt(state: ProjectState, key: string): ProjectStep {
  const item = state.items.get(key);
  if (!item) throw new Error(`the fixture project has no item '${key}'`);
  return item;
}

/** The change a transition makes to the item with this key; fails the test when it makes none. */
export function changeAt(transition: Transition, key: string): ItemChange {
  const change = transition.changes.find((c) => itemKey(c.after) === key);
  if (!change) {
    throw new Error(
      `the transition does not change '${key}' (it changes ${transition.changes.map((c) => itemKey(c.after)).join(', ') || 'nothing'})`,
    );
  }
  return change;
}
