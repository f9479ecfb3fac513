import { demoEnterprises } from '../../infra/local/seed-reference.js';

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
