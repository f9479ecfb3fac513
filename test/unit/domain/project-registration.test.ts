import { describe, expect, it } from 'vitest';
import { newExecution } from '../../../shared/domain/execution-renewal.js';
import { initialItems } from '../../../shared/domain/initial-items.js';
import { formatProjectCode } from '../../../shared/domain/project-code.js';
import { registerProject, registrationCode } from '../../../shared/domain/project-registration.js';
import { twoStageChain } from '../../support/chain-fixtures.js';

const NOW = new Date('2026-03-02T01:00:00.000Z');
const PARTS = { regionCode: '320115', industryCode: '04', typeCode: '01' };
const REGISTRATION = {
  name: '智能装备产业园一期',
  enterprise: { name: '南京金陵智造有限公司', creditCode: '91320115MA1X0000XX' },
  investmentCny: 350_000_000,
};

function registered(requestHash?: string) {
  const chain = twoStageChain();
  return registerProject({
    chain,
    projectId: 'p-1',
    registration: REGISTRATION,
    attributes: {},
    code: registrationCode(undefined, 2026, PARTS, 11),
    agentId: 'agent-wang',
    first: newExecution('p-1', 0, 1, NOW, 300),
    registeredBy: 'agent-wang',
    now: NOW,
    ...(requestHash ? { requestHash } : {}),
  });
}

describe('registering a project', () => {
  it('gives a provisional code of the year, region, industry, type and serial, or keeps the national one', () => {
    // Act
    const provisional = registrationCode(undefined, 2026, PARTS, 11);
    const national = registrationCode('2025-320115-04-01-000007', 2026, PARTS, undefined);

    // Assess
    expect(provisional).toEqual({
      code: formatProjectCode({ year: 2026, ...PARTS, serial: 11 }),
      codeKind: 'provisional',
    });
    expect(national).toEqual({ code: '2025-320115-04-01-000007', codeKind: 'national' });
  });

  it('starts the project active in its first stage, led by the stage lead, with its first execution', () => {
    // Act
    const { project } = registered('hash-1');

    // Assess
    expect(project).toMatchObject({
      projectId: 'p-1',
      codeKind: 'provisional',
      status: 'active',
      currentStageIndex: 0,
      leadDepartmentId: 'DRC',
      agentId: 'agent-wang',
      execution: { name: 'p-1-s0-g1', stageIndex: 0, generation: 1 },
      createdAt: NOW.toISOString(),
      decisions: 0,
      supplements: 0,
      requestHash: 'hash-1',
    });
    expect(registered().project.requestHash).toBeUndefined();
  });

  it('writes no step (each is derived from the chain), counts its steps, and names the departments with a pending step', () => {
    // Prepare
    const all = initialItems(twoStageChain(), 'p-1', {}, NOW.toISOString());

    // Act
    const registration = registered();
    const { project } = registration;

    // Assess
    expect('items' in registration).toBe(false);
    expect(project.stepsTotal).toBe(all.filter((i) => !i.partId).length);
    expect(project.stepsClosed).toBe(all.filter((i) => !i.partId && i.status === 'not_applicable').length);
    const pending = all.filter((i) => i.status === 'pending' && i.departmentId).map((i) => i.departmentId);
    expect(project.departments).toEqual([...new Set(pending)].sort());
  });

  it('records the registration as an event and assigns the agent, by whoever registered', () => {
    // Act
    const { event, assignment } = registered();

    // Assess
    expect(event).toMatchObject({
      type: 'project_created',
      after: { status: 'active', chain: 'test-chain@1', agentId: 'agent-wang' },
      data: { name: REGISTRATION.name, enterprise: REGISTRATION.enterprise, notApplicable: [] },
    });
    expect(assignment).toEqual({
      projectId: 'p-1',
      agentId: 'agent-wang',
      previousAgentId: null,
      reason: 'assigned at registration',
      at: NOW.toISOString(),
      by: 'agent-wang',
    });
  });
});
