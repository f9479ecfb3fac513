import { itemKey, type ProjectStep, type TokenRef } from '../project.js';
import { applyChanges, type ProjectState, partsOf, type Transition } from '../transition.js';
import type { EffectWrite, OwedSend } from './effect-writes.js';

/** A callback token a task handler stores on its item. */
export type StoredToken = { itemKey: string; kind: 'task' | 'gate'; ref: TokenRef };

/** What a closed (or blocked) step or part reports to its waiting task. */
export type StepOutcome =
  | 'approved'
  | 'approved_with_conditions'
  | 'deemed_approved'
  | 'not_applicable'
  | 'rejected'
  | 'blocked'
  | 'withdrawn';

/** The outcome a closed (or blocked) step or part reports to its waiting task. */
export function stepOutcome(step: ProjectStep): StepOutcome | undefined {
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
): { sends: OwedSend[]; checks: EffectWrite[] } {
  const after = applyChanges(state, transition.changes);
  const { projectId } = state.project;
  const sends: OwedSend[] = [];
  const checks: EffectWrite[] = [];
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

/** The writes that store a task handler's own tokens, each replacing the one read (if it is still that one). */
export function tokenWrites(state: ProjectState, stored: readonly StoredToken[] = []): EffectWrite[] {
  const { projectId } = state.project;
  return stored.flatMap((token): EffectWrite[] => [
    { op: 'put_token', projectId, itemKey: token.itemKey, kind: token.kind, ref: token.ref },
    {
      op: 'check_token',
      projectId,
      itemKey: token.itemKey,
      kind: token.kind,
      token: state.tokens.get(token.itemKey)?.[token.kind]?.token,
    },
  ]);
}
