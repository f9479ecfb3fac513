import { demoEnterprises } from '../../infra/local/seed-reference.js';
import type { Chain } from '../../shared/domain/chain.js';
import { findStep } from '../../shared/domain/chain-graph.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';

/** A valid project registration on the reference chain; override what a test is about. */
export function projectRegistration(overrides: Record<string, unknown> = {}) {
  return {
    name: '智能装备产业园一期',
    enterprise: { ...demoEnterprises.jinling },
    investmentCny: 350_000_000,
    chainId: 'industrial-enterprise',
    attributes: {},
    agentId: 'agent-wang',
    ...overrides,
  };
}

/** A complete submission of a reference-chain step: every material the step lists (受理 refuses anything less). */
export function submissionOf(stepId: string, chain: Chain = referenceChain) {
  const step = findStep(chain, stepId)?.step;
  if (!step) throw new Error(`the chain has no step ${stepId}`);
  return { materials: step.materials.map((m) => m.id) };
}

/** The document an approval is issued as (批文/证照), dated on or before any test's decision day. */
export const TEST_DOCUMENT = { number: '测试批〔2026〕1号', date: '2026-03-02' } as const;

/** An approval as a department sends it: with its document. */
export const APPROVAL = { outcome: 'approved', document: TEST_DOCUMENT } as const;
