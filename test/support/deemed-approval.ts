import type { Chain } from '../../shared/domain/chain.js';
import type { ProjectState } from '../../shared/domain/transition.js';
import { twoStageChain } from './chain-fixtures.js';
import { submitted } from './lifecycle.js';
import { projectState } from './project-state.js';

/**
 * The test chain (`twoStageChain`) with deemed approval (超时默认) allowed on 1a, or, given `false`, explicitly not:
 * 1a is department NRP's, 5 promised and 20 legal working days; stage 1 is led by DRC.
 */
export function chainDeemingOn1a(allowed = true): Chain {
  const chain = structuredClone(twoStageChain());
  const step = chain.stages[0]?.steps.find((s) => s.id === '1a');
  if (!step) throw new Error('the fixture chain has no step 1a');
  step.policy = { ...step.policy, deemedApprovalAllowed: allowed };
  return chain;
}

/** A project on `chain` (by default `chainDeemingOn1a()`) whose step 1a the agent submitted at this China time. */
export const step1aInReviewSince = (wallClock: string, chain: Chain = chainDeemingOn1a()): ProjectState =>
  submitted(projectState(chain, { items: { '1a': { status: 'ready' } } }), '1a', wallClock);
