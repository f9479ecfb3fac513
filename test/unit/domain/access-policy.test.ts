import { describe, expect, it } from 'vitest';
import {
  type Action,
  assertAllowed,
  decide,
  type Resource,
  type Verdict,
} from '../../../shared/domain/access-policy.js';
import type { Batch } from '../../../shared/domain/batch.js';
import type { Chain } from '../../../shared/domain/chain.js';
import type { Complaint } from '../../../shared/domain/complaint.js';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import type { Meeting } from '../../../shared/domain/meeting.js';
import type { Principal, Role } from '../../../shared/domain/principal.js';
import type { Project } from '../../../shared/domain/project.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { fixtureItems, fixtureProject } from '../../support/project-state.js';

/** Stage leads DRC and HUD; every step is NRP's. */
const chain: Chain = twoStageChain();

const ENTERPRISE = '91320115MA1X0000XX';
const OTHER_ENTERPRISE = '91320115MA1Y1111YY';

/** One principal per role; "own" objects belong to them (or their department or enterprise), "foreign" ones do not. */
const principals: Record<Role, Principal> = {
  agent: { userId: 'agent-wang', role: 'agent', name: '王代办' },
  officer: { userId: 'officer-zhao', role: 'officer', name: '赵科长', departmentId: 'NRP' },
  investor: { userId: 'investor-sun', role: 'investor', name: '孙总', enterpriseId: ENTERPRISE },
  leader: { userId: 'leader-li', role: 'leader', name: '李主任' },
  admin: { userId: 'admin-zhou', role: 'admin', name: '周管理员' },
  efficiency: { userId: 'efficiency-wu', role: 'efficiency', name: '吴主任（效能办）' },
};
const roles = Object.keys(principals) as Role[];

/** agent-wang's project for the investor's enterprise, with NRP's steps. */
const ownProject: Project = fixtureProject(chain, {
  agentId: 'agent-wang',
  enterpriseId: ENTERPRISE,
  departments: ['NRP'],
});
/** Another agent's project for another enterprise, whose only department is ENV (which leads no stage). */
const foreignProject: Project = fixtureProject(chain, {
  projectId: '01PROJECTFOREIGN0000000000',
  code: '2026-320115-04-01-00002X',
  agentId: 'agent-li',
  enterpriseId: OTHER_ENTERPRISE,
  departments: ['ENV'],
});
const nrpStep = fixtureItems(chain).find((i) => i.stepId === '1a');
if (!nrpStep) throw new Error('the fixture chain has no step 1a');
const envStep = { ...nrpStep, projectId: foreignProject.projectId, departmentId: 'ENV' };

/** A meeting convened by a leader on one of the project's steps, inviting that step's department. */
const meetingOn = (project: Project, departmentId: string): Meeting => ({
  meetingId: `01MEETING${project.projectId.slice(-17)}`,
  version: 1,
  status: 'scheduled',
  title: '联审会',
  convenedBy: { userId: 'leader-li', name: '李主任', role: 'leader' },
  scheduledAt: '2026-11-25T09:00:00+08:00',
  place: '政务服务中心三楼会议室',
  agenda: [
    {
      itemId: '1',
      projectId: project.projectId,
      projectCode: project.code,
      projectName: project.name,
      agentId: project.agentId,
      enterpriseId: project.enterpriseId,
      stepId: '1a',
      stepName: nrpStep.stepId,
      departmentId,
    },
  ],
  invited: [departmentId],
  responses: {},
  createdAt: '2026-11-23T09:00:00+08:00',
  updatedAt: '2026-11-23T09:00:00+08:00',
});
/** A complaint filed by the project's agent about one department's step. */
const complaintOn = (project: Project, departmentId: string): Complaint => ({
  complaintId: `01COMPLAINT${project.projectId.slice(-15)}`,
  number: '效能投诉〔2026〕第0001号',
  version: 1,
  projectId: project.projectId,
  projectCode: project.code,
  projectName: project.name,
  enterpriseId: project.enterpriseId,
  stepId: '1a',
  stepName: '1a',
  departmentId,
  category: 'delay',
  description: '受理后迟迟不予答复，多次催问无果',
  complainant: { userId: project.agentId, role: 'agent', name: project.agentId },
  status: 'filed',
  filedAt: '2026-11-23T01:00:00.000Z',
  limitDays: 5,
  dueDate: '2026-11-30',
  record: [],
  updatedAt: '2026-11-23T01:00:00.000Z',
});
const ownComplaint = complaintOn(ownProject, 'NRP');
const foreignComplaint = complaintOn(foreignProject, 'ENV');
/** A batch carried up to a department, assembled by an agent. */
const batchTo = (departmentId: string, agentId: string): Batch => ({
  batchId: `01BATCH${departmentId}`,
  version: 1,
  status: 'assembling',
  departmentId,
  departmentName: departmentId,
  level: 'city',
  agentId,
  items: [],
  createdAt: '2026-11-23T09:00:00+08:00',
  updatedAt: '2026-11-23T09:00:00+08:00',
});
const ownBatch = batchTo('NRP', 'agent-wang');
const foreignBatch = batchTo('ENV', 'agent-li');
const ownMeeting = meetingOn(ownProject, 'NRP');
const foreignMeeting = meetingOn(foreignProject, 'ENV');

type Whose = 'own' | 'foreign';
type Expected = 'allowed' | 'forbidden' | 'not_found';
/** agent, officer, investor, leader, admin, efficiency office */
type Row = readonly [Expected, Expected, Expected, Expected, Expected, Expected];

const A = 'allowed';
const F = 'forbidden';
const N = 'not_found';

/** What each action is asked about, for an own and a foreign object. */
const resources: Record<Action, Record<Whose, Resource>> = {
  'project.register': { own: { agentId: 'agent-wang' }, foreign: { agentId: 'agent-li' } },
  'project.read': { own: { project: ownProject, chain }, foreign: { project: foreignProject, chain } },
  'project.read_timeline': {
    own: { project: ownProject, chain },
    foreign: { project: foreignProject, chain },
  },
  'project.reassign': { own: { project: ownProject, chain }, foreign: { project: foreignProject, chain } },
  'project.withdraw': { own: { project: ownProject, chain }, foreign: { project: foreignProject, chain } },
  'step.submit': { own: { project: ownProject }, foreign: { project: foreignProject } },
  'step.resubmit': { own: { project: ownProject }, foreign: { project: foreignProject } },
  'step.reapply': { own: { project: ownProject }, foreign: { project: foreignProject } },
  'step.decide': {
    own: { project: ownProject, item: nrpStep },
    foreign: { project: foreignProject, item: envStep },
  },
  'step.pause_clock': {
    own: { project: ownProject, item: nrpStep },
    foreign: { project: foreignProject, item: envStep },
  },
  'projects.filter_by_department': { own: { departmentId: 'NRP' }, foreign: { departmentId: 'ENV' } },
  'inbox.read': { own: { departmentId: 'NRP' }, foreign: { departmentId: 'ENV' } },
  'projects.filter_by_agent': { own: { agentId: 'agent-wang' }, foreign: { agentId: 'agent-li' } },
  // reports carry no object: the use case keeps each caller to their own rows
  'reports.read': { own: {}, foreign: {} },
  'reports.read_weekly': { own: {}, foreign: {} },
  'exports.read': { own: {}, foreign: {} },
  'chain.publish': { own: {}, foreign: {} },
  'admin.operate': { own: {}, foreign: {} },
  'meeting.convene': { own: {}, foreign: {} },
  'meeting.request': { own: {}, foreign: {} },
  'meeting.answer_request': { own: {}, foreign: {} },
  'meeting.respond': { own: { meeting: ownMeeting }, foreign: { meeting: foreignMeeting } },
  'meeting.run': { own: { meeting: ownMeeting }, foreign: { meeting: foreignMeeting } },
  'meeting.read': { own: { meeting: ownMeeting }, foreign: { meeting: foreignMeeting } },
  'reports.read_credit': { own: {}, foreign: {} },
  'complaint.file': { own: { project: ownProject, chain }, foreign: { project: foreignProject, chain } },
  'complaint.read': { own: { complaint: ownComplaint }, foreign: { complaint: foreignComplaint } },
  'complaint.handle': { own: { complaint: ownComplaint }, foreign: { complaint: foreignComplaint } },
  'project.read_approvals': {
    own: { project: ownProject, chain },
    foreign: { project: foreignProject, chain },
  },
  'project.set_code': {
    own: { project: ownProject, chain, item: nrpStep },
    foreign: { project: foreignProject, chain, item: envStep },
  },
  'batch.assemble': { own: {}, foreign: {} },
  'batch.read': { own: { batch: ownBatch }, foreign: { batch: foreignBatch } },
  'batch.carry': { own: { batch: ownBatch }, foreign: { batch: foreignBatch } },
  'batch.collect': { own: { batch: ownBatch }, foreign: { batch: foreignBatch } },
};

/** DOMAIN.md "Who sees what", as verdicts: agent, officer, investor, leader, admin, efficiency office. */
const expected: Record<Action, Record<Whose, Row>> = {
  'project.register': { own: [A, F, F, A, A, F], foreign: [F, F, F, A, A, F] },
  'project.read': { own: [A, A, A, A, A, N], foreign: [N, N, N, A, A, N] },
  'project.read_timeline': { own: [A, A, A, A, A, N], foreign: [N, N, N, A, A, N] },
  'project.reassign': { own: [A, F, F, A, A, N], foreign: [N, N, N, A, A, N] },
  'project.withdraw': { own: [A, F, F, A, A, N], foreign: [N, N, N, A, A, N] },
  'step.submit': { own: [A, F, F, F, F, N], foreign: [N, N, N, F, F, N] },
  'step.resubmit': { own: [A, F, F, F, F, N], foreign: [N, N, N, F, F, N] },
  'step.reapply': { own: [A, F, F, F, F, N], foreign: [N, N, N, F, F, N] },
  'step.decide': { own: [F, A, F, F, F, N], foreign: [N, N, N, F, F, N] },
  'step.pause_clock': { own: [F, A, F, F, F, N], foreign: [N, N, N, F, F, N] },
  'projects.filter_by_department': { own: [F, A, F, A, A, F], foreign: [F, F, F, A, A, F] },
  'inbox.read': { own: [F, A, F, A, A, F], foreign: [F, F, F, A, A, F] },
  'projects.filter_by_agent': { own: [A, F, F, A, A, F], foreign: [F, F, F, A, A, F] },
  'reports.read': { own: [A, A, F, A, A, A], foreign: [A, A, F, A, A, A] },
  'reports.read_weekly': { own: [F, F, F, A, A, A], foreign: [F, F, F, A, A, A] },
  'exports.read': { own: [F, F, F, A, A, F], foreign: [F, F, F, A, A, F] },
  'chain.publish': { own: [F, F, F, F, A, F], foreign: [F, F, F, F, A, F] },
  'admin.operate': { own: [F, F, F, F, A, F], foreign: [F, F, F, F, A, F] },
  'meeting.convene': { own: [F, A, F, A, A, F], foreign: [F, A, F, A, A, F] },
  'meeting.request': { own: [A, F, F, F, F, F], foreign: [A, F, F, F, F, F] },
  'meeting.answer_request': { own: [F, F, F, A, A, F], foreign: [F, F, F, A, A, F] },
  // the own meeting invites the officer's department and was convened by a leader
  'meeting.respond': { own: [F, A, F, F, F, N], foreign: [N, N, N, F, F, N] },
  'meeting.run': { own: [F, F, F, A, A, N], foreign: [N, N, N, A, A, N] },
  'meeting.read': { own: [A, A, A, A, A, N], foreign: [N, N, N, A, A, N] },
  'reports.read_credit': { own: [F, F, F, A, A, A], foreign: [F, F, F, A, A, A] },
  // the own project is visible to all but the efficiency office; complaints are filed by its agent or investor
  'complaint.file': { own: [A, F, A, F, F, N], foreign: [N, N, N, F, F, N] },
  // the own complaint: agent-wang's, about NRP's step; the investor sees only the complaints they filed
  'complaint.read': { own: [A, A, N, A, A, A], foreign: [N, N, N, A, A, A] },
  'complaint.handle': { own: [F, F, N, F, F, A], foreign: [N, N, N, F, F, A] },
  // the enterprise's own record: officers see each step in the project view instead
  'project.read_approvals': { own: [A, F, A, A, A, N], foreign: [N, N, N, A, A, N] },
  // the own project's filing step is held by the officer's department
  'project.set_code': { own: [A, A, F, A, A, N], foreign: [N, N, N, A, A, N] },
  'batch.assemble': { own: [A, F, F, F, F, F], foreign: [A, F, F, F, F, F] },
  // the own batch goes to the officer's department
  'batch.read': { own: [A, A, N, A, A, N], foreign: [N, N, N, A, A, N] },
  'batch.carry': { own: [A, F, N, F, F, N], foreign: [N, N, N, F, F, N] },
  'batch.collect': { own: [A, F, N, F, F, N], foreign: [N, N, N, F, F, N] },
};

const verdictOf = (verdict: Verdict): Expected => (verdict.allowed ? 'allowed' : verdict.as);

const cases = (Object.keys(expected) as Action[]).map((action) => ({
  action,
  rows: roles.flatMap((role, i) =>
    (['own', 'foreign'] as const).map((whose) => ({ role, whose, expected: expected[action][whose][i] })),
  ),
}));

describe.each(cases)('$action', ({ action, rows }) => {
  it.each(rows)('is $expected for the $role on a $whose object', ({ role, whose, expected: verdict }) => {
    // Act
    const result = decide(principals[role], action, resources[action][whose]);

    // Assess
    expect(verdictOf(result)).toBe(verdict);
  });
});

describe('refusals that reveal nothing', () => {
  it('answers a project the caller may not see exactly like one that does not exist', () => {
    // Act
    const verdict = decide(principals.investor, 'project.read', { project: foreignProject, chain });

    // Assess: no code, name, agent or enterprise of the hidden project
    expect(verdict).toEqual({
      allowed: false,
      as: 'not_found',
      code: 'PROJECT.NOT_FOUND',
      reason: 'no such project (or it is not one you may see)',
    });
  });

  it.each(['project.withdraw', 'step.submit', 'step.decide'] as const)(
    'hides the project before judging %s on it',
    (action) => {
      // Act
      const verdict = decide(principals.agent, action, resources[action].foreign);

      // Assess
      expect(verdict).toMatchObject({ allowed: false, as: 'not_found', code: 'PROJECT.NOT_FOUND' });
    },
  );

  it('throws a not-found error for a hidden project and a forbidden one for a visible project', () => {
    // Act
    const hidden = () =>
      assertAllowed(principals.officer, 'project.withdraw', resources['project.withdraw'].foreign);
    const visible = () =>
      assertAllowed(principals.officer, 'project.withdraw', resources['project.withdraw'].own);

    // Assess
    expect(hidden).toThrow(NotFoundError);
    expect(visible).toThrow(ForbiddenError);
    expect(visible).toThrow("only the project's agent, a leader or an admin may withdraw it");
  });
});

describe('officers', () => {
  it('lets a stage’s lead department (牵头部门) see a project it holds no step of', () => {
    // Prepare: DRC leads stage 1 of the chain; the project's steps are NRP's
    const lead: Principal = { userId: 'officer-qian', role: 'officer', name: '钱科长', departmentId: 'DRC' };

    // Act
    const withChain = decide(lead, 'project.read', { project: ownProject, chain });
    const withoutChain = decide(lead, 'project.read', { project: ownProject });

    // Assess
    expect(withChain).toEqual({ allowed: true });
    expect(verdictOf(withoutChain)).toBe('not_found');
  });

  it('lets a stage’s lead department filter projects by a department of its stage, and by no other', () => {
    // Prepare: DRC leads stage 1 and HUD stage 2; NRP holds every step; ENV holds none
    const lead: Principal = { userId: 'officer-qian', role: 'officer', name: '钱科长', departmentId: 'DRC' };

    // Act
    const ofItsStage = decide(lead, 'projects.filter_by_department', {
      departmentId: 'NRP',
      chains: [chain],
    });
    const ofNoStage = decide(lead, 'projects.filter_by_department', { departmentId: 'ENV', chains: [chain] });
    const inbox = decide(lead, 'inbox.read', { departmentId: 'NRP', chains: [chain] });

    // Assess
    expect(ofItsStage).toEqual({ allowed: true });
    expect(ofNoStage).toMatchObject({ allowed: false, code: 'DEPARTMENT.FORBIDDEN' });
    expect(inbox).toMatchObject({ allowed: false, code: 'DEPARTMENT.FORBIDDEN' });
  });

  it('lets a lead department see the project but not decide another department’s step', () => {
    // Prepare
    const lead: Principal = { userId: 'officer-qian', role: 'officer', name: '钱科长', departmentId: 'DRC' };

    // Act
    const verdict = decide(lead, 'step.decide', { project: ownProject, chain, item: nrpStep });

    // Assess
    expect(verdict).toMatchObject({ allowed: false, as: 'forbidden', code: 'STEP.NOT_YOUR_DEPARTMENT' });
  });

  it('lets an officer decide a joint-review part of their department and not the parts of others', () => {
    // Prepare: the project has a CAD part beside NRP's steps
    const project = { ...ownProject, departments: ['CAD', 'NRP'] };
    const cadPart = { ...nrpStep, stepId: 'drawings', partId: 'cad', departmentId: 'CAD' };
    const cadOfficer: Principal = {
      userId: 'officer-wu',
      role: 'officer',
      name: '吴科长',
      departmentId: 'CAD',
    };

    // Act and Assess
    expect(decide(cadOfficer, 'step.decide', { project, item: cadPart })).toEqual({ allowed: true });
    expect(verdictOf(decide(principals.officer, 'step.decide', { project, item: cadPart }))).toBe(
      'forbidden',
    );
  });
});

describe('upper-level steps (上下协同)', () => {
  const cityStep = { ...nrpStep, departmentId: 'ENV_CITY' };
  const project = { ...ownProject, departments: ['ENV_CITY', 'NRP'] };
  const drcOfficer: Principal = {
    userId: 'officer-drc',
    role: 'officer',
    name: '发改窗口',
    departmentId: 'DRC',
  };
  const hudOfficer: Principal = {
    userId: 'officer-hud',
    role: 'officer',
    name: '住建窗口',
    departmentId: 'HUD',
  };

  it("lets the project's agent and the stage's lead department record a city department's decision", () => {
    // Prepare: step 1a sits in the stage DRC leads
    const resource = { project, chain, item: cityStep, departmentLevel: 'city' as const };

    // Act and Assess
    expect(decide(principals.agent, 'step.decide', resource)).toEqual({ allowed: true });
    expect(decide(drcOfficer, 'step.decide', resource)).toEqual({ allowed: true });
    // HUD leads the other stage: it sees the project, and may not record this stage's decisions
    expect(verdictOf(decide(hudOfficer, 'step.decide', resource))).toBe('forbidden');
    expect(verdictOf(decide(principals.investor, 'step.decide', resource))).toBe('forbidden');
  });

  it("keeps a district department's decision to its own officers, even for the agent", () => {
    // Act
    const verdict = decide(principals.agent, 'step.decide', {
      project,
      chain,
      item: nrpStep,
      departmentLevel: 'district',
    });

    // Assess
    expect(verdict).toMatchObject({ allowed: false, code: 'STEP.NOT_YOUR_DEPARTMENT' });
  });
});

describe('investors', () => {
  it('sees no project when the token carries no enterprise', () => {
    // Prepare
    const investor: Principal = { userId: 'investor-x', role: 'investor', name: '某企业' };

    // Act and Assess
    expect(verdictOf(decide(investor, 'project.read', { project: ownProject }))).toBe('not_found');
  });
});

describe('registering a project', () => {
  it('lets an agent register a project without naming an agent (it is theirs)', () => {
    expect(decide(principals.agent, 'project.register', {})).toEqual({ allowed: true });
  });

  it('names why an agent may not register a project for another agent', () => {
    // Act
    const verdict = decide(principals.agent, 'project.register', { agentId: 'agent-li' });

    // Assess
    expect(verdict).toMatchObject({ as: 'forbidden', code: 'PROJECT.REGISTER_FOR_OTHERS' });
  });
});
