import { beforeAll, describe, expect, it } from 'vitest';
import { demoEnterprises } from '../../infra/local/seed-reference.js';
import type { Role } from '../../shared/domain/principal.js';
import { DEFAULT_SLA_POLICY } from '../../shared/domain/sla-policy.js';
import { allSteps, driveProject } from '../support/drive.js';
import { APPROVAL, projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

/**
 * The access matrix, generated from the app's route table: every route × every role × an object of the caller's
 * (own) and one that is not (foreign), with the answer DOMAIN.md "Who sees what" expects. A route without an entry
 * here fails the first test, so a new route cannot ship unchecked.
 *
 * The callers: agent-wang; officer-emg (应急管理局: it holds the safety review, step 14, of the own project only,
 * and leads no stage); investor-jinling; leader-zhang; admin; efficiency-office (效能办: complaints and reports, no
 * project). Own objects belong to agent-wang's project for
 * 金陵 (hazardous works, so EMG holds a step); foreign ones to agent-li's project for 秦淮 (no EMG step).
 *
 * "allowed" means the policy let the request through: any answer but 401, 403 or 404 (the targets are chosen so
 * an allowed request mostly meets a domain rule, a 400 or 409, and changes nothing).
 */

type Verdict = 'A' | 'F' | 'N';
const A: Verdict = 'A';
const F: Verdict = 'F';
const N: Verdict = 'N';
/** agent, officer, investor, leader, admin, efficiency office (效能办) */
type Row = readonly [Verdict, Verdict, Verdict, Verdict, Verdict, Verdict];
type Whose = 'own' | 'foreign';

const ROLES: readonly Role[] = ['agent', 'officer', 'investor', 'leader', 'admin', 'efficiency'];
const CALLERS: Record<Role, string> = {
  agent: 'agent-wang',
  officer: 'officer-emg',
  investor: 'investor-jinling',
  leader: 'leader-zhang',
  admin: 'admin',
  efficiency: 'efficiency-office',
};

/** The objects the cases point at, made in `beforeAll`. */
type Fixture = {
  project: string;
  code: string;
  /** a batch carried up to the province (EMG_PROV) */
  batch: string;
  withdrawable: string;
  document: string;
  meeting: string;
  notification: string;
  /** an efficiency complaint the project's agent filed, already closed (so handling it again is a 409) */
  complaint: string;
  /** a week with a stored weekly report (the same for both) */
  week: string;
};
const blank = (): Fixture => ({
  project: '',
  batch: '',
  withdrawable: '',
  document: '',
  meeting: '',
  notification: '',
  code: '',
  complaint: '',
  week: '',
});
const fx: Record<Whose, Fixture> = { own: blank(), foreign: blank() };

type Target = { path: string; body?: unknown };
type Case = {
  /** what the case is about, when a route has several */
  about?: string;
  /** no sign-in needed: every caller, and no caller, is allowed */
  public?: true;
  target: (whose: Whose, o: Fixture) => Target;
  own: Row;
  foreign: Row;
  /** another caller for a role (e.g. the officer of a part's department) */
  callers?: Partial<Record<Role, string>>;
};

const ALL: Row = [A, A, A, A, A, A];
const ADMIN: Row = [F, F, F, F, A, F];
const OVERSEERS: Row = [F, F, F, A, A, N];
/** leaders, admins and the efficiency office (效能办 reads every report) */
const REPORT_READERS: Row = [F, F, F, A, A, A];
/** leaders and admins: the district's open-data exports (every project at once) */
const EXPORTERS: Row = [F, F, F, A, A, F];
/** seen by everyone involved (the efficiency office sees complaints and reports, not projects or meetings) */
const SEEN_BY_ALL_OWN: Row = [A, A, A, A, A, N];
const HIDDEN_FOREIGN: Row = [N, N, N, A, A, N];
const AGENT_OWN: Row = [A, F, F, F, F, N];
const AGENT_HIDDEN: Row = [N, N, N, F, F, N];
const OFFICER_OWN: Row = [F, A, F, F, F, N];
const pub = (path: string): Case => ({ public: true, target: () => ({ path }), own: ALL, foreign: ALL });
const admin = (target: Case['target']): Case => ({ target, own: ADMIN, foreign: ADMIN });

const PERIOD = '?from=2026-01&to=2026-12';

const MATRIX: Record<string, Case[]> = {
  'GET /health': [pub('/health')],
  'GET /departments': [pub('/departments')],
  'GET /chains': [pub('/chains')],
  'GET /chains/{chainId}': [pub('/chains/industrial-enterprise')],
  'GET /chains/schema.json': [pub('/chains/schema.json')],
  'GET /calendar': [pub('/calendar')],
  'GET /sla-policy': [pub('/sla-policy')],
  'POST /auth/dev-token': [
    { ...pub('/auth/dev-token'), target: () => ({ path: '/auth/dev-token', body: { userId: 'admin' } }) },
  ],
  'GET /auth/users': [pub('/auth/users')],
  'GET /public/projects/{code}': [
    { public: true, target: (_, o) => ({ path: `/public/projects/${o.code}` }), own: ALL, foreign: ALL },
  ],
  'POST /auth/login': [
    { ...pub('/auth/login'), target: () => ({ path: '/auth/login', body: { userId: '', password: '' } }) },
  ],
  'GET /admin/users': [admin(() => ({ path: '/admin/users' }))],
  'POST /admin/users': [
    admin(() => ({
      path: '/admin/users',
      body: { userId: 'agent-li', name: '已有的人', role: 'agent', password: 'a-long-enough-password' },
    })),
  ],
  'GET /admin/users/{userId}': [
    admin((whose) => ({ path: `/admin/users/${whose === 'own' ? 'agent-wang' : 'agent-li'}` })),
  ],
  'PATCH /admin/users/{userId}': [
    {
      about: 'someone who is not there',
      target: () => ({ path: '/admin/users/nobody-here', body: { name: '无此人' } }),
      own: [F, F, F, F, N, F],
      foreign: [F, F, F, F, N, F],
    },
  ],
  'POST /chains': [admin(() => ({ path: '/chains', body: { id: 'bad chain' } }))],
  'POST /chains/preview': [admin(() => ({ path: '/chains/preview', body: { id: 'bad chain' } }))],
  'POST /projects': [
    {
      target: (whose) => ({
        path: '/projects',
        body: projectRegistration({
          name: '矩阵测试项目',
          agentId: whose === 'own' ? 'agent-wang' : 'agent-li',
        }),
      }),
      own: [A, F, F, A, A, F],
      foreign: [F, F, F, A, A, F],
    },
  ],
  'GET /projects': [
    { about: 'no filter', target: () => ({ path: '/projects' }), own: ALL, foreign: ALL },
    {
      about: 'by department',
      target: (whose) => ({ path: `/projects?department=${whose === 'own' ? 'EMG' : 'ENV'}` }),
      own: [F, A, F, A, A, F],
      foreign: [F, F, F, A, A, F],
    },
    {
      about: 'by a department of the stage the officer leads',
      // NRP leads stage 2, where CAD holds a step; EMG works only in stage 1 (led by DRC)
      target: (whose) => ({ path: `/projects?department=${whose === 'own' ? 'CAD' : 'EMG'}` }),
      callers: { officer: 'officer-nrp' },
      own: [F, A, F, A, A, F],
      foreign: [F, F, F, A, A, F],
    },
    {
      about: 'by agent',
      target: (whose) => ({ path: `/projects?agent=${whose === 'own' ? 'agent-wang' : 'agent-li'}` }),
      own: [A, F, F, A, A, F],
      foreign: [F, F, F, A, A, F],
    },
  ],
  'GET /projects/{id}': [
    { target: (_, o) => ({ path: `/projects/${o.project}` }), own: SEEN_BY_ALL_OWN, foreign: HIDDEN_FOREIGN },
  ],
  'GET /projects/{id}/events': [
    {
      target: (_, o) => ({ path: `/projects/${o.project}/events` }),
      own: SEEN_BY_ALL_OWN,
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'PUT /projects/{id}/agent': [
    {
      // handing a project to the agent it already has: a 409 for whoever may hand it over
      target: (whose, o) => ({
        path: `/projects/${o.project}/agent`,
        body: { agentId: whose === 'own' ? 'agent-wang' : 'agent-li', reason: '矩阵测试' },
      }),
      own: [A, F, F, A, A, N],
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'POST /projects/{id}/withdrawal': [
    {
      target: (_, o) => ({
        path: `/projects/${o.withdrawable}/withdrawal`,
        body: { reason: '矩阵测试：企业撤回' },
      }),
      own: [A, F, F, A, A, N],
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'POST /projects/{id}/steps/{stepId}/submission': [
    {
      // the filing (1) is approved: a submission is a 409 for the project's agent
      target: (_, o) => ({ path: `/projects/${o.project}/steps/1/submission`, body: submissionOf('1') }),
      own: AGENT_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'POST /projects/{id}/steps/{stepId}/resubmission': [
    {
      target: (_, o) => ({ path: `/projects/${o.project}/steps/1/resubmission`, body: { supplied: ['x'] } }),
      own: AGENT_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'POST /projects/{id}/steps/{stepId}/reapplication': [
    {
      target: (_, o) => ({ path: `/projects/${o.project}/steps/1/reapplication`, body: {} }),
      own: AGENT_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'POST /projects/{id}/steps/{stepId}/decision': [
    {
      // the safety review (14, EMG) is ready, not in review: a 409 for EMG's officer
      target: (_, o) => ({ path: `/projects/${o.project}/steps/14/decision`, body: APPROVAL }),
      own: OFFICER_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'POST /projects/{id}/steps/{stepId}/clock-pauses': [
    {
      target: (_, o) => ({
        path: `/projects/${o.project}/steps/14/clock-pauses`,
        body: { kind: 'expert_review', reason: '专家评审' },
      }),
      own: OFFICER_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'POST /projects/{id}/steps/{stepId}/clock-pauses/current/end': [
    {
      target: (_, o) => ({ path: `/projects/${o.project}/steps/14/clock-pauses/current/end`, body: {} }),
      own: OFFICER_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'POST /projects/{id}/steps/{stepId}/parts/{partId}/decision': [
    {
      // the drawings' fire part (HUD) is pending; HUD leads stage 3, so it sees both projects
      target: (_, o) => ({
        path: `/projects/${o.project}/steps/23/parts/fire/decision`,
        body: APPROVAL,
      }),
      callers: { officer: 'officer-hud' },
      own: OFFICER_OWN,
      foreign: [N, A, N, F, F, N],
    },
  ],
  'POST /projects/{id}/steps/{stepId}/parts/{partId}/clock-pauses': [
    {
      target: (_, o) => ({
        path: `/projects/${o.project}/steps/23/parts/fire/clock-pauses`,
        body: { kind: 'expert_review', reason: '专家评审' },
      }),
      callers: { officer: 'officer-hud' },
      own: OFFICER_OWN,
      foreign: [N, A, N, F, F, N],
    },
  ],
  'POST /projects/{id}/steps/{stepId}/parts/{partId}/clock-pauses/current/end': [
    {
      target: (_, o) => ({
        path: `/projects/${o.project}/steps/23/parts/fire/clock-pauses/current/end`,
        body: {},
      }),
      callers: { officer: 'officer-hud' },
      own: OFFICER_OWN,
      foreign: [N, A, N, F, F, N],
    },
  ],
  'GET /projects/{id}/documents': [
    {
      target: (_, o) => ({ path: `/projects/${o.project}/documents` }),
      own: SEEN_BY_ALL_OWN,
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'GET /projects/{id}/documents/{docId}': [
    {
      target: (_, o) => ({ path: `/projects/${o.project}/documents/${o.document}` }),
      own: SEEN_BY_ALL_OWN,
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'GET /departments/{deptId}/inbox': [
    {
      target: (whose) => ({ path: `/departments/${whose === 'own' ? 'EMG' : 'ENV'}/inbox` }),
      own: [F, A, F, A, A, F],
      foreign: [F, F, F, A, A, F],
    },
  ],
  'GET /departments/{deptId}/stage-view': [
    {
      target: (whose) => ({ path: `/departments/${whose === 'own' ? 'EMG' : 'ENV'}/stage-view` }),
      own: [F, A, F, A, A, F],
      foreign: [F, F, F, A, A, F],
    },
  ],
  'GET /projects/{id}/approvals.csv': [
    {
      // the enterprise's record: its investors, its agent, leaders (a department sees each step in the view)
      target: (_, o) => ({ path: `/projects/${o.project}/approvals.csv` }),
      own: [A, F, A, A, A, N],
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'PUT /projects/{id}/code': [
    {
      // a code another project holds: a 409 for whoever may record the code (the agent, DRC, leaders)
      target: (whose, o) => ({
        path: `/projects/${o.project}/code`,
        body: { code: fx[whose === 'own' ? 'foreign' : 'own'].code },
      }),
      callers: { officer: 'officer-drc' },
      own: [A, A, F, A, A, N],
      foreign: [N, A, N, A, A, N],
    },
  ],
  'POST /batches': [
    {
      // the filing (1) is DRC's, not the province's: a 409 for the project's agent
      target: (_, o) => ({
        path: '/batches',
        body: { departmentId: 'EMG_PROV', items: [{ projectId: o.project, stepId: '1' }] },
      }),
      own: [A, F, F, F, F, F],
      foreign: [N, F, F, F, F, F],
    },
  ],
  'GET /batches': [{ target: () => ({ path: '/batches' }), own: ALL, foreign: ALL }],
  'GET /batches/{batchId}': [
    {
      // both batches go to the officer's department (EMG_PROV)
      target: (_, o) => ({ path: `/batches/${o.batch}` }),
      callers: { officer: 'officer-emg_prov' },
      own: [A, A, N, A, A, N],
      foreign: [N, A, N, A, A, N],
    },
  ],
  'POST /batches/{batchId}/edit': [
    {
      // carried already: a 409 for the batch's agent (a batch is edited only before it is carried up)
      target: (_, o) => ({ path: `/batches/${o.batch}/edit`, body: { remove: ['1'], reason: '矩阵测试' } }),
      callers: { officer: 'officer-emg_prov' },
      own: [A, F, N, F, F, N],
      foreign: [N, F, N, F, F, N],
    },
  ],
  'POST /batches/{batchId}/cancellation': [
    {
      // carried already: a 409 for the batch's agent
      target: (_, o) => ({ path: `/batches/${o.batch}/cancellation`, body: { reason: '矩阵测试' } }),
      callers: { officer: 'officer-emg_prov' },
      own: [A, F, N, F, F, N],
      foreign: [N, F, N, F, F, N],
    },
  ],
  'POST /batches/{batchId}/carried': [
    {
      // carried already: a 409 for the batch's agent
      target: (_, o) => ({ path: `/batches/${o.batch}/carried`, body: {} }),
      callers: { officer: 'officer-emg_prov' },
      own: [A, F, N, F, F, N],
      foreign: [N, F, N, F, F, N],
    },
  ],
  'POST /batches/{batchId}/collection': [
    {
      // an item the batch does not have: a 400 for the batch's agent
      target: (_, o) => ({
        path: `/batches/${o.batch}/collection`,
        body: { decisions: [{ itemId: '9', ...APPROVAL }] },
      }),
      callers: { officer: 'officer-emg_prov' },
      own: [A, F, N, F, F, N],
      foreign: [N, F, N, F, F, N],
    },
  ],
  'GET /me/notifications': [{ target: () => ({ path: '/me/notifications' }), own: ALL, foreign: ALL }],
  'POST /me/notifications/{notificationId}/read': [
    {
      // one's own notifications only: agent-wang's (own) and agent-li's (foreign)
      target: (_, o) => ({ path: `/me/notifications/${o.notification}/read`, body: {} }),
      own: [A, N, N, N, N, N],
      foreign: [N, N, N, N, N, N],
    },
  ],
  'GET /reports/departments': [
    {
      target: () => ({ path: `/reports/departments${PERIOD}` }),
      own: [A, A, F, A, A, A],
      foreign: [A, A, F, A, A, A],
    },
  ],
  'GET /reports/agents': [
    {
      target: () => ({ path: `/reports/agents${PERIOD}` }),
      own: [A, A, F, A, A, A],
      foreign: [A, A, F, A, A, A],
    },
  ],
  'GET /me/work': [
    {
      // one's own work; a leader or admin may read any agent's
      target: (whose) => ({ path: whose === 'own' ? '/me/work' : '/me/work?agent=agent-li' }),
      own: [A, F, F, A, A, F],
      foreign: [F, F, F, A, A, F],
    },
  ],
  'GET /reports/weekly': [
    { target: () => ({ path: '/reports/weekly' }), own: REPORT_READERS, foreign: REPORT_READERS },
  ],
  'GET /reports/weekly/{week}': [
    {
      target: (_, o) => ({ path: `/reports/weekly/${o.week}` }),
      own: REPORT_READERS,
      foreign: REPORT_READERS,
    },
  ],
  'GET /reports/weekly/feed.json': [
    { target: () => ({ path: '/reports/weekly/feed.json' }), own: REPORT_READERS, foreign: REPORT_READERS },
  ],
  'GET /exports/approvals.jsonl': [
    { target: () => ({ path: '/exports/approvals.jsonl?limit=5' }), own: EXPORTERS, foreign: EXPORTERS },
  ],
  'GET /exports/approvals.csv': [
    { target: () => ({ path: '/exports/approvals.csv?limit=5' }), own: EXPORTERS, foreign: EXPORTERS },
  ],
  'GET /imports/template.csv': [admin(() => ({ path: '/imports/template.csv' }))],
  'GET /imports/template.xlsx': [admin(() => ({ path: '/imports/template.xlsx' }))],
  // a file without the template's columns: its problems for the admin, nothing written
  'POST /imports/projects': [
    admin(() => ({
      path: '/imports/projects',
      body: { chainId: 'industrial-enterprise', fileName: 'x.csv', csv: 'x' },
    })),
  ],
  'POST /imports/projects/dry-run': [
    admin(() => ({
      path: '/imports/projects/dry-run',
      body: { chainId: 'industrial-enterprise', fileName: 'x.csv', csv: 'x' },
    })),
  ],
  // the same file as a background job: queued and done at once (no row to import), for the admin only
  'POST /imports': [
    admin(() => ({
      path: '/imports',
      body: { chainId: 'industrial-enterprise', fileName: 'x.csv', csv: 'x' },
    })),
  ],
  'GET /imports': [admin(() => ({ path: '/imports' }))],
  'GET /imports/{jobId}': [
    {
      about: 'a job that does not exist: 404 for the admin, refused to everyone else before any look',
      target: () => ({ path: '/imports/01NOSUCHJOB' }),
      own: [F, F, F, F, N, F],
      foreign: [F, F, F, F, N, F],
    },
  ],
  'POST /admin/reports/weekly': [
    // a week that has not begun: a 400 for the admin, nothing written
    admin(() => ({ path: '/admin/reports/weekly', body: { week: '2099-W01' } })),
  ],
  'PUT /calendar/years/{year}': [
    admin(() => ({ path: '/calendar/years/2031', body: { holidays: ['2030-01-01'], workdays: [] } })),
  ],
  'PUT /calendar/closures/{date}': [
    admin(() => ({ path: '/calendar/closures/2099-01-05', body: { reason: '矩阵测试' } })),
  ],
  'DELETE /calendar/closures/{date}': [admin(() => ({ path: '/calendar/closures/2099-01-05' }))],
  'PUT /sla-policy': [admin(() => ({ path: '/sla-policy', body: DEFAULT_SLA_POLICY }))],
  'POST /admin/jobs': [admin(() => ({ path: '/admin/jobs', body: {} }))],
  'POST /admin/backup': [admin(() => ({ path: '/admin/backup' }))],
  'POST /admin/clock': [admin(() => ({ path: '/admin/clock', body: { advanceDays: 1 } }))],
  'POST /admin/sla-sweeps': [admin(() => ({ path: '/admin/sla-sweeps', body: {} }))],
  'GET /admin/sla-sweeps': [admin(() => ({ path: '/admin/sla-sweeps?limit=5' }))],
  'GET /admin/sla-sweeps/{runId}': [admin(() => ({ path: '/admin/sla-sweeps/current' }))],
  'GET /admin/audit': [admin(() => ({ path: '/admin/audit?date=2026-11-23' }))],
  'POST /meetings': [
    {
      target: (_, o) => ({
        path: '/meetings',
        body: {
          title: '矩阵测试联审会',
          agenda: [{ projectId: o.project, stepId: '7' }],
          scheduledAt: NEXT_WEEK,
          place: '三楼会议室',
          reason: '需要会商',
        },
      }),
      // an officer may convene for the stages its department leads: EMG leads none (403)
      own: [A, F, F, A, A, F],
      foreign: [N, N, F, A, A, F],
    },
  ],
  'GET /meetings': [{ target: () => ({ path: '/meetings' }), own: ALL, foreign: ALL }],
  'GET /meetings/{meetingId}': [
    { target: (_, o) => ({ path: `/meetings/${o.meeting}` }), own: SEEN_BY_ALL_OWN, foreign: HIDDEN_FOREIGN },
  ],
  'POST /meetings/{meetingId}/answer': [
    {
      target: (_, o) => ({
        path: `/meetings/${o.meeting}/answer`,
        body: { accept: false, reason: '矩阵测试' },
      }),
      own: OVERSEERS,
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'POST /meetings/{meetingId}/responses': [
    {
      target: (_, o) => ({ path: `/meetings/${o.meeting}/responses`, body: { answer: 'attend' } }),
      own: OFFICER_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'POST /meetings/{meetingId}/attendance': [
    {
      target: (_, o) => ({ path: `/meetings/${o.meeting}/attendance`, body: { present: ['NOPE'] } }),
      own: OVERSEERS,
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'POST /meetings/{meetingId}/minutes': [
    {
      target: (_, o) => ({
        path: `/meetings/${o.meeting}/minutes`,
        body: { decisions: [{ itemId: '99', outcome: 'approved' }] },
      }),
      own: OVERSEERS,
      foreign: HIDDEN_FOREIGN,
    },
  ],
  'POST /meetings/{meetingId}/reschedule': [
    {
      // to a time already past: the convener gets 400, everyone else the refusal
      target: (_, o) => ({
        path: `/meetings/${o.meeting}/reschedule`,
        body: { scheduledAt: '2026-01-05T09:30:00+08:00', reason: '矩阵测试' },
      }),
      own: OVERSEERS,
      foreign: HIDDEN_FOREIGN,
    },
  ],
  // last of the meetings' routes: it calls the meeting off (the second overseer then gets 409)
  'POST /meetings/{meetingId}/cancellation': [
    {
      target: (_, o) => ({ path: `/meetings/${o.meeting}/cancellation`, body: { reason: '矩阵测试' } }),
      own: OVERSEERS,
      foreign: HIDDEN_FOREIGN,
    },
  ],
};

const MATRIX_COMPLAINTS: Record<string, Case[]> = {
  'POST /projects/{id}/steps/{stepId}/complaints': [
    {
      // about the works-completed milestone (31): no department to complain about, a 400 for the complainants
      target: (_, o) => ({
        path: `/projects/${o.project}/steps/31/complaints`,
        body: { category: 'delay', description: '矩阵测试：里程碑没有办理部门' },
      }),
      own: [A, F, A, F, F, N],
      foreign: [N, N, N, F, F, N],
    },
  ],
  'GET /complaints': [{ target: () => ({ path: '/complaints' }), own: ALL, foreign: ALL }],
  'POST /projects/{id}/steps/{stepId}/deferred-materials': [
    {
      // the filing (1) was accepted with nothing missing: a 409 for the project's agent
      target: (_, o) => ({
        path: `/projects/${o.project}/steps/1/deferred-materials`,
        body: { supplied: ['power-of-attorney'] },
      }),
      own: AGENT_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'POST /projects/{id}/steps/{stepId}/commitment-verification': [
    {
      // the safety review (14, EMG) was not approved on a commitment: a 409 for EMG's officer
      target: (_, o) => ({
        path: `/projects/${o.project}/steps/14/commitment-verification`,
        body: { result: 'passed', findings: '矩阵测试' },
      }),
      own: OFFICER_OWN,
      foreign: AGENT_HIDDEN,
    },
  ],
  'GET /reports/enterprises': [
    {
      target: () => ({ path: '/reports/enterprises?from=2026-01&to=2026-12' }),
      own: [F, F, F, A, A, A],
      foreign: [F, F, F, A, A, A],
    },
  ],
  'GET /complaints/{complaintId}': [
    {
      // the own complaint is agent-wang's about EMG's step; an investor sees only the complaints they filed
      target: (_, o) => ({ path: `/complaints/${o.complaint}` }),
      own: [A, A, N, A, A, A],
      foreign: [N, N, N, A, A, A],
    },
  ],
  ...Object.fromEntries(
    (['acknowledgement', 'investigation', 'closure'] as const).map((what) => [
      `POST /complaints/{complaintId}/${what}`,
      [
        {
          // the complaints are closed already: a 409 for the efficiency office
          target: (_: Whose, o: Fixture) => ({
            path: `/complaints/${o.complaint}/${what}`,
            body: what === 'closure' ? { finding: 'upheld', actionTaken: '矩阵测试' } : {},
          }),
          own: [F, F, N, F, F, A],
          foreign: [N, N, N, F, F, A],
        } satisfies Case,
      ],
    ]),
  ),
};
Object.assign(MATRIX, MATRIX_COMPLAINTS);

/** A week from now: a meeting is scheduled for a time still to come. */
const NEXT_WEEK = new Date(Date.now() + 7 * 86_400_000).toISOString();

const verdictOf = (status: number): Verdict | 'unauthenticated' =>
  status === 401 ? 'unauthenticated' : status === 403 ? F : status === 404 ? N : A;

describe('the access matrix over every route', () => {
  const t = useTestSystem();
  let secrets: string[] = [];

  beforeAll(async () => {
    const register = async (agent: string, enterprise: 'jinling' | 'qinhuai', hazardous: boolean) => {
      const body = projectRegistration({
        name: `${enterprise === 'jinling' ? '金陵' : '秦淮'}矩阵项目`,
        agentId: agent,
        attributes: { hazardousWorks: hazardous },
        ...(enterprise === 'qinhuai' ? { enterprise: demoEnterprises.qinhuai } : {}),
      });
      const res = await t.api.post('/projects', agent, body);
      if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.projectId as string;
    };
    const pastFiling = async (projectId: string, agent: string) => {
      await driveProject(t.system, t.api, projectId, {
        stop: (v) => allSteps(v).some((s) => s.stepId === '1' && s.status === 'approved'),
      });
      await t.system.engine.settled();
      await t.api.post(`/projects/${projectId}/steps/7/submission`, agent, submissionOf('7'));
      await t.api.post(`/projects/${projectId}/steps/7/decision`, 'officer-env', {
        outcome: 'supplement',
        missingMaterials: [{ name: '公众参与说明', reason: '未附公示截图' }],
      });
      // supplied: under review again, so a meeting may take it
      await t.api.post(`/projects/${projectId}/steps/7/resubmission`, agent, { supplied: ['公众参与说明'] });
    };
    for (const [whose, agent, enterprise, hazardous] of [
      ['own', 'agent-wang', 'jinling', true],
      ['foreign', 'agent-li', 'qinhuai', false],
    ] as const) {
      const o = fx[whose];
      o.project = await register(agent, enterprise, hazardous);
      o.withdrawable = await register(agent, enterprise, hazardous);
      await pastFiling(o.project, agent);
      const docs = await t.api.get(`/projects/${o.project}/documents`, 'leader-zhang');
      o.document = docs.body.documents[0].docId;
      const meeting = await t.api.post('/meetings', 'leader-zhang', {
        title: '矩阵测试联审会',
        agenda: [{ projectId: o.project, stepId: '7' }],
        invite: whose === 'own' ? ['EMG'] : [],
        scheduledAt: NEXT_WEEK,
        place: '三楼会议室',
      });
      o.meeting = meeting.body.meeting.meetingId;
      const notes = await t.api.get('/me/notifications', agent);
      o.notification = notes.body.notifications[0].notificationId;
      const complaint = await t.api.post(
        `/projects/${o.project}/steps/${whose === 'own' ? '14' : '7'}/complaints`,
        agent,
        {
          category: 'delay',
          description: '矩阵测试：受理后久拖不办',
        },
      );
      o.complaint = complaint.body.complaint.complaintId;
      for (const what of ['acknowledgement', 'investigation'])
        await t.api.post(`/complaints/${o.complaint}/${what}`, 'efficiency-office', {});
      await t.api.post(`/complaints/${o.complaint}/closure`, 'efficiency-office', {
        finding: 'not_upheld',
        actionTaken: '矩阵测试',
      });
      o.code = (await t.api.get(`/projects/${o.project}`, 'leader-zhang')).body.project.code;
      // a project whose safety review sits with the province, carried up in a batch
      const upstairs = await t.api.post(
        '/projects',
        agent,
        projectRegistration({
          name: '矩阵省级项目',
          agentId: agent,
          attributes: { hazardousWorks: true, majorHazardSource: true },
          ...(enterprise === 'qinhuai' ? { enterprise: demoEnterprises.qinhuai } : {}),
        }),
      );
      await driveProject(t.system, t.api, upstairs.body.projectId, {
        stop: (v) => allSteps(v).some((s) => s.stepId === '14' && s.status === 'ready'),
      });
      const batch = await t.api.post('/batches', agent, {
        departmentId: 'EMG_PROV',
        items: [{ projectId: upstairs.body.projectId, stepId: '14' }],
      });
      o.batch = batch.body.batch.batchId;
      const carried = await t.api.post(`/batches/${o.batch}/carried`, agent, {});
      if (carried.status !== 200) throw new Error(`carry: ${carried.status} ${JSON.stringify(carried.body)}`);
    }
    const own = (await t.api.get(`/projects/${fx.own.project}`, 'leader-zhang')).body.project;
    const foreign = (await t.api.get(`/projects/${fx.foreign.project}`, 'leader-zhang')).body.project;
    fx.own.code = own.code;
    fx.foreign.code = foreign.code;
    const report = await t.api.post('/admin/reports/weekly', 'admin', {});
    if (report.status !== 201)
      throw new Error(`weekly report: ${report.status} ${JSON.stringify(report.body)}`);
    fx.own.week = fx.foreign.week = report.body.report.week;
    if (!own.departments.includes('EMG') || foreign.departments.includes('EMG')) {
      throw new Error('the fixture needs EMG on the own project only');
    }
    secrets = [foreign.code, foreign.name, foreign.enterpriseName, 'agent-li'];
  });

  it('has an entry for every route of the app', () => {
    // Act
    const routes = t.system.app.openAPIRegistry.definitions.flatMap((d) =>
      d.type === 'route' ? [`${d.route.method.toUpperCase()} ${d.route.path}`] : [],
    );

    // Assess
    expect(routes.filter((r) => !(r in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
  });

  const cases = Object.entries(MATRIX).flatMap(([route, list]) =>
    list.map((c) => ({ route, name: `${route}${c.about ? ` (${c.about})` : ''}`, c })),
  );

  it.each(cases)(
    'answers $name as the policy says, for every role and both objects',
    async ({ route, c }) => {
      const method = route.split(' ')[0] ?? 'GET';
      const got: string[] = [];
      const want: string[] = [];
      for (const whose of ['own', 'foreign'] as const) {
        for (const [i, role] of ROLES.entries()) {
          // Act
          const { path, body } = c.target(whose, fx[whose]);
          const caller = c.callers?.[role] ?? CALLERS[role];
          const res = await t.api.call(method, path, caller, body);

          // Assess (collected, so one failure shows the whole row)
          got.push(`${whose} ${role}: ${verdictOf(res.status)} (${res.status})`);
          want.push(`${whose} ${role}: ${c[whose][i]}`);
          if (verdictOf(res.status) === 'F' || verdictOf(res.status) === 'N') {
            const text = JSON.stringify(res.body);
            for (const secret of secrets)
              expect(text, `${route} as ${caller} names ${secret}`).not.toContain(secret);
          }
        }
      }
      expect(got.map((g) => g.replace(/ \(\d+\)$/, ''))).toEqual(want);
    },
  );

  it.each(cases.filter(({ c }) => !c.public))(
    'asks for a sign-in on $name (401 without a token)',
    async ({ route, c }) => {
      // Act
      const { path, body } = c.target('own', fx.own);
      const res = await t.api.call(route.split(' ')[0] ?? 'GET', path, undefined, body);

      // Assess
      expect(res.status).toBe(401);
    },
  );
});
