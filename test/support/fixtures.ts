import { demoEnterprises } from '../../infra/local/seed-reference.js';
import { type Clock, systemClock } from '../../shared/app/clock.js';
import type { Chain } from '../../shared/domain/chain.js';
import { findStep } from '../../shared/domain/chain-graph.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import { chinaDate } from '../../shared/domain/working-days.js';

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

let documentClock: Clock = systemClock;

/** Dates the fixtures' approval documents by this clock: the test system's (`startTestSystem` sets it). */
export function dateDocumentsBy(clock: Clock): void {
  documentClock = clock;
}

/**
 * The document an approval is issued as (批文/证照), dated the day the test system's clock reads: neither after
 * the decision nor before the step was applied for (both refused). Read `date` when the decision is sent.
 */
export const TEST_DOCUMENT: { readonly number: string; readonly date: string } = {
  number: '测试批〔2026〕1号',
  get date(): string {
    return chinaDate(documentClock.now());
  },
};

/** An approval as a department sends it: with its document. */
export const APPROVAL = { outcome: 'approved', document: TEST_DOCUMENT } as const;
