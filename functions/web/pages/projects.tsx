import { fileComplaint, listComplaints } from '../../../shared/app/complaints.js';
import { listMeetings } from '../../../shared/app/meetings.js';
import { listProjects } from '../../../shared/app/project-list.js';
import { getProjectDocument, listProjectDocuments } from '../../../shared/app/project-records.js';
import { getProjectView } from '../../../shared/app/project-view.js';
import { supplyDeferredMaterials } from '../../../shared/app/step-actions.js';
import { CASE_KINDS, CaseKindSchema } from '../../../shared/domain/case-kinds.js';
import { ComplaintInputSchema } from '../../../shared/domain/complaint.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import { ganttSchedule } from '../../../shared/domain/gantt.js';
import { localDate, localDateTime } from '../../../shared/domain/local-time.js';
import { chinaDate } from '../../../shared/domain/working-days.js';
import { documentPage } from '../../http/document-page.js';
import type { ApiDeps } from '../../http/env.js';
import { named, type PageContext } from '../../http/i18n.js';
import {
  assignmentReasonText,
  caseKindText,
  meetingStatusText,
  projectStatusText,
  stepStatusText,
} from '../../http/labels.js';
import { DeferredSupplySchema } from '../../http/request-schemas.js';
import { GanttChart } from '../charts/gantt.js';
import { Guessed } from '../guessed.js';
import { Layout, LightBadge, Scroll, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import { type Form, formAction, me, render, type WebApp, type WebContext } from '../web-env.js';
import {
  ApprovalsCard,
  CommitmentsCard,
  ComplaintCard,
  DeferredCard,
  type ProjectView,
} from './project-cards.js';

type Prefill = { form: 'complaint' | 'deferred'; values: Record<string, string> };

const prefillOf = (form: Prefill['form'], fields: Form): Prefill => ({
  form,
  values: {
    step: fields.get('step'),
    category: fields.get('category'),
    description: fields.get('description'),
    supplied: fields.all('supplied').join('\n'),
  },
});

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function checkedId(id: string): string {
  if (!ID.test(id))
    throw new NotFoundError('PROJECT.NOT_FOUND', 'no such project (or it is not one you may see)');
  return id;
}

/** The project list (each role sees what the access policy lets it) and one project's page with its Gantt. */
export function projectPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  app.get('/app/projects', async (c) => {
    const page = c.get('page');
    const { t } = page;
    const principal = me(c);
    const cursor = c.req.query('cursor');
    const kind = CaseKindSchema.safeParse(c.req.query('kind')).data;
    const list = await listProjects(ctx, principal, kind ? { caseKind: kind } : {}, {
      limit: 50,
      ...(cursor ? { cursor: cursor.slice(0, 600) } : {}),
    });
    const title = principal.role === 'investor' ? t('我的项目', 'My projects') : t('项目', 'Projects');
    return render(
      c,
      <Layout ctx={page} title={title} flash={takeFlash(c)}>
        <form method="get" action="/app/projects" class="inline" id="kind-filter">
          <label for="kind">{t('按件类筛选（五件）', 'Filter by kind of case')}</label>{' '}
          <select id="kind" name="kind">
            <option value="">{t('全部项目', 'All projects')}</option>
            {CASE_KINDS.map((k) => (
              <option value={k} selected={k === kind}>
                {caseKindText(t, k)}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="secondary">
            {t('筛选', 'Filter')}
          </button>
        </form>
        {kind ? (
          <p class="muted">
            {t(
              `只列出有${caseKindText(t, kind)}的项目（由各事项的办理情况得出）。`,
              `Only projects with a ${caseKindText(t, kind)} case (derived from how their steps were decided).`,
            )}
          </p>
        ) : null}
        {list.items.length === 0 ? <p>{t('暂无项目。', 'No projects yet.')}</p> : null}
        <Table
          label={title}
          heads={[
            t('项目', 'Project'),
            t('项目代码', 'Project code'),
            t('建设单位', 'Enterprise'),
            t('状态', 'Status'),
            t('进度', 'Progress'),
          ]}
        >
          {list.items.map((p) => (
            <tr>
              <td>
                <a href={`/app/projects/${p.projectId}`}>{p.name}</a>
              </td>
              <td>{p.code}</td>
              <td>{p.enterpriseName}</td>
              <td>{projectStatusText(t, p.status)}</td>
              <td>
                <progress
                  max={p.stepsTotal}
                  value={p.stepsClosed}
                  aria-label={`${p.name} ${t('进度', 'progress')}`}
                >
                  {p.stepsClosed}/{p.stepsTotal}
                </progress>{' '}
                {p.stepsClosed}/{p.stepsTotal}
              </td>
            </tr>
          ))}
        </Table>
        {list.cursor ? (
          <p>
            <a
              href={`/app/projects?${new URLSearchParams({ ...(kind ? { kind } : {}), cursor: list.cursor })}`}
            >
              {t('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  const projectPage = async (c: WebContext, error?: string, status?: RefusalStatus, prefill?: Prefill) => {
    const page = c.get('page');
    const { t } = page;
    const principal = me(c);
    const projectId = checkedId(c.req.param('id') ?? '');
    const view = await getProjectView(ctx, principal, projectId);
    const complains = principal.role === 'investor' || principal.role === 'agent';
    const [documents, meetings, complaints] = await Promise.all([
      listProjectDocuments(ctx, principal, projectId),
      listMeetings(ctx, principal, { limit: 100 }),
      complains ? listComplaints(ctx, principal, {}, { limit: 100 }) : undefined,
    ]);
    const concerning = meetings.items.filter((m) => m.agenda.some((i) => i.projectId === projectId));
    const agent = view.project.agent.agentId
      ? await ctx.store.getUser(view.project.agent.agentId)
      : undefined;
    return render(
      c,
      <Layout ctx={page} title={view.project.name} flash={takeFlash(c)} error={error}>
        <ProjectBody ctx={page} view={view} now={ctx.clock.now()} calendar={ctx.calendar} />
        <ApprovalsCard ctx={page} view={view} />
        <DeferredCard
          ctx={page}
          view={view}
          supplies={principal.role === 'agent'}
          prefill={prefill?.form === 'deferred' ? prefill.values : undefined}
        />
        <CommitmentsCard ctx={page} view={view} />
        {complaints ? (
          <ComplaintCard
            ctx={page}
            view={view}
            mine={complaints.items.filter((item) => item.projectId === projectId)}
            prefill={prefill?.form === 'complaint' ? prefill.values : undefined}
          />
        ) : null}
        <section class="card" aria-labelledby="agent-h">
          <h2 id="agent-h">{t('代办员', 'Agent')}</h2>
          <p>
            {agent?.name ?? view.project.agentId}
            {agent?.phone ? (
              <>
                {' '}
                · {t('电话', 'phone')} <a href={`tel:${agent.phone}`}>{agent.phone}</a>
              </>
            ) : null}
            {agent?.email ? (
              <>
                {' '}
                · <a href={`mailto:${agent.email}`}>{agent.email}</a>
              </>
            ) : null}
          </p>
          {view.assignments.length > 0 ? (
            <details>
              <summary>{t('代办员交接记录', 'Handover history')}</summary>
              <ul>
                {view.assignments.map((a) => (
                  <li>
                    {localDate(a.at)}：{a.previousAgentId ?? '—'} → {a.agentId}（
                    {assignmentReasonText(t, a.reason)}）
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
        <section class="card" aria-labelledby="docs-h">
          <h2 id="docs-h">{t('通知书与纪要', 'Notices and minutes')}</h2>
          {documents.length === 0 ? (
            <p>{t('暂无文书。', 'No documents yet.')}</p>
          ) : (
            <ul>
              {documents.map((d) => (
                <li>
                  <a href={`/app/projects/${projectId}/documents/${d.docId}`}>
                    {d.title} {d.number}
                  </a>{' '}
                  <span class="muted">{localDate(d.issuedAt)}</span>
                </li>
              ))}
            </ul>
          )}
          <AcceptanceLinks ctx={page} view={view} />
        </section>
        <section class="card" aria-labelledby="meet-h">
          <h2 id="meet-h">{t('相关联审会', 'Joint review meetings')}</h2>
          {concerning.length === 0 ? (
            <p>{t('暂无。', 'None.')}</p>
          ) : (
            <ul>
              {concerning.map((m) => (
                <li>
                  <a href={`/app/meetings/${m.meetingId}`}>{m.title}</a> · {meetingStatusText(t, m.status)}
                  {m.scheduledAt ? ` · ${localDateTime(m.scheduledAt)}` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/projects/:id', (c) => projectPage(c));

  // 效能投诉: the investor or agent complains about a department's conduct on a step (the use case checks who).
  formAction(
    app,
    '/app/projects/:id/complaints',
    ['investor', 'agent'],
    async ({ c, principal, form, t }) => {
      const projectId = checkedId(c.req.param('id'));
      const [stepId = '', partId] = form.get('step').split('.');
      const part = partId ?? '';
      const input = ComplaintInputSchema.parse({
        category: form.get('category') || undefined,
        description: form.get('description'),
        ...(part ? { partId: part } : {}),
      });
      const complaint = await fileComplaint(ctx, principal, projectId, checkedId(stepId), input);
      return {
        message: t(
          `已提交效能投诉 ${complaint.number}，效能办将于 ${complaint.dueDate} 前办结`,
          `Complaint ${complaint.number} filed; the efficiency office closes it by ${complaint.dueDate}`,
        ),
        to: `/app/projects/${projectId}`,
      };
    },
    (c, form, error, status) => projectPage(c, error, status, prefillOf('complaint', form)),
  );

  // 容缺补交: the agent supplies materials the department accepted as missing.
  formAction(
    app,
    '/app/projects/:id/steps/:stepId/deferred',
    ['agent'],
    async ({ c, principal, form, t }) => {
      const projectId = checkedId(c.req.param('id'));
      const stepId = checkedId(c.req.param('stepId'));
      const { supplied } = DeferredSupplySchema.parse({ supplied: form.all('supplied') });
      const step = await supplyDeferredMaterials(ctx, principal, projectId, stepId, supplied);
      const left = step.deferred?.materials.length ?? 0;
      return {
        message: t(
          `第 ${stepId} 项已补交 ${supplied.length} 份容缺材料${left > 0 ? `，尚缺 ${left} 份` : '，材料已齐'}`,
          `Step ${stepId}: ${supplied.length} deferred material(s) supplied${left > 0 ? `, ${left} still missing` : ', none missing now'}`,
        ),
        to: `/app/projects/${projectId}`,
      };
    },
    (c, form, error, status) => projectPage(c, error, status, prefillOf('deferred', form)),
  );

  app.get('/app/projects/:id/documents/:docId', async (c) => {
    const projectId = checkedId(c.req.param('id'));
    const docId = checkedId(c.req.param('docId'));
    const { document } = await getProjectDocument(ctx, me(c), projectId, docId);
    return c.html(documentPage(document));
  });

  // 受理通知书: the department accepted the submission; its clock runs from the acceptance day.
  app.get('/app/projects/:id/steps/:stepId/acceptance', async (c) => {
    const projectId = checkedId(c.req.param('id'));
    const stepId = checkedId(c.req.param('stepId'));
    const view = await getProjectView(ctx, me(c), projectId);
    const step = view.stages.flatMap((s) => s.steps).find((s) => s.stepId === stepId);
    if (!step?.clock || !step.submittedAt) {
      throw new NotFoundError('DOCUMENT.NOT_FOUND', 'this step has not been accepted by its department yet');
    }
    // the materials received, by their names in the chain (a notice of acceptance lists what was handed in)
    const chain = await ctx.chains.get(view.project.chainId, view.project.chainVersion);
    const definitions = chain.stages.flatMap((st) => st.steps).find((d) => d.id === stepId)?.materials ?? [];
    const nameOf = (id: string) => definitions.find((m) => m.id === id)?.name ?? id;
    return c.html(
      documentPage({
        projectId,
        docId: `acceptance-${stepId}`,
        kind: 'acceptance_notice',
        number: `受理〔${step.clock.acceptedOn.slice(0, 4)}〕${view.project.code}-${stepId}`,
        title: '受理通知书',
        issuedAt: step.submittedAt,
        stepId,
        fields: {
          projectCode: view.project.code,
          projectName: view.project.name,
          enterpriseName: view.project.enterpriseName,
          stepName: step.name,
          departmentName: step.departmentName ?? '—',
          submittedAt: chinaDate(new Date(step.submittedAt)),
          acceptedOn: step.clock.acceptedOn,
          promisedDays: step.clock.promisedDays,
          dueDate: step.dueDate ?? '—',
          submittedMaterials: (step.materialsSubmitted ?? []).map(nameOf),
          rule: '自受理之日起按工作日计算承诺时限；补正、听证、专家评审、检验检测、现场勘查期间不计入时限',
        },
      }),
    );
  });
}

function AcceptanceLinks(props: { ctx: PageContext; view: ProjectView }) {
  const { t } = props.ctx;
  const accepted = props.view.stages
    .flatMap((s) => s.steps)
    .filter(
      (s) => s.clock && s.submittedAt && (s.status === 'in_review' || s.status === 'supplement_requested'),
    );
  if (accepted.length === 0) return null;
  return (
    <>
      <h3>{t('受理通知书（审查中的事项）', 'Acceptance notices (steps in review)')}</h3>
      <ul>
        {accepted.map((s) => (
          <li>
            <a href={`/app/projects/${props.view.project.projectId}/steps/${s.stepId}/acceptance`}>
              {s.stepId} {named(props.ctx, s)}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The project's summary, its Gantt picture and its steps as a table (the same facts, for every reader). */
export function ProjectBody(props: {
  ctx: PageContext;
  view: ProjectView;
  now: Date;
  calendar: Parameters<typeof ganttSchedule>[2];
}) {
  const { ctx, view } = props;
  const { t } = ctx;
  const project = view.project;
  const projection = project.projection;
  const critical = new Set(projection?.criticalSteps ?? []);
  const schedule = ganttSchedule(project, view.stages, props.calendar, props.now);
  const holder = (s: { departmentName: string | null; kind: string }) =>
    s.departmentName ?? (s.kind === 'milestone' ? t('企业/代办员', 'enterprise / agent') : '—');
  return (
    <>
      <div class="grid">
        <div class="stat">
          <div class="muted">
            {project.codeKind === 'national'
              ? t('项目代码（全国投资项目平台赋码）', 'Project code (national platform)')
              : t('项目代码（临时码）', 'Project code (provisional)')}
          </div>
          <div>
            <strong data-testid="project-code">{project.code}</strong>
          </div>
          {project.provisionalCode ? (
            <div class="muted">
              {t('原临时码', 'was provisionally')} {project.provisionalCode}
            </div>
          ) : null}
        </div>
        <div class="stat">
          <div class="muted">{t('状态', 'Status')}</div>
          <div>
            <strong>{projectStatusText(t, project.status)}</strong> ·{' '}
            <LightBadge ctx={ctx} light={project.light} />
          </div>
        </div>
        <div class="stat">
          <div class="muted">{t('进度', 'Progress')}</div>
          <div>
            <strong>
              {project.stepsClosed}/{project.stepsTotal}
            </strong>{' '}
            {t('项已办结', 'steps closed')}
          </div>
        </div>
        <div class="stat">
          <div class="muted">{t('预计办结', 'Projected completion')}</div>
          <div>
            <strong data-testid="projected-completion">
              {project.status === 'completed'
                ? t(
                    `已于 ${project.completedAt ? localDate(project.completedAt) : ''} 办结`,
                    `completed ${project.completedAt ? localDate(project.completedAt) : ''}`,
                  )
                : (projection?.projectedCompletion ?? '—')}
            </strong>
            {projection ? (
              <span class="muted">
                {' '}
                {t(
                  `（尚需 ${projection.remainingWorkingDays} 个工作日）`,
                  ` (${projection.remainingWorkingDays} working days left)`,
                )}
              </span>
            ) : null}
          </div>
        </div>
      </div>
      <p class="muted">
        {project.enterpriseName} · {t('红灯', 'red')} {project.lights.red} · {t('黄灯', 'yellow')}{' '}
        {project.lights.yellow} · {t('绿灯', 'green')} {project.lights.green}
      </p>
      <section class="card" aria-labelledby="gantt-h">
        <h2 id="gantt-h">{t('审批进度图', 'Approval timeline')}</h2>
        <Scroll label={t('甘特图', 'Gantt chart')}>
          <figure>
            <GanttChart
              t={t}
              titleId="gantt-title"
              schedule={schedule}
              critical={critical}
              projectedCompletion={projection?.projectedCompletion}
              stages={view.stages.map((stage, i) => ({
                label: `${t(`第${i + 1}阶段`, `Stage ${i + 1}`)} ${named(ctx, stage)}`,
                rows: stage.steps.map((s) => ({
                  stepId: s.stepId,
                  label: named(ctx, s),
                  holder: holder(s),
                  status: s.status,
                  dueDate: 'dueDate' in s ? s.dueDate : undefined,
                })),
              }))}
            />
            <figcaption>
              {t(
                '横轴为自登记日起的工作日；◆ 为关键路径；蓝线为今天，虚线为预计办结日。',
                'Working days since registration; ◆ marks the critical path; the blue line is today, the dashed line the projected completion.',
              )}
            </figcaption>
          </figure>
        </Scroll>
      </section>
      {view.stages.map((stage, i) => (
        <section class="card" aria-labelledby={`st-${stage.stageId}`}>
          <h2 id={`st-${stage.stageId}`}>
            {t(`第${i + 1}阶段`, `Stage ${i + 1}`)} {named(ctx, stage)}{' '}
            <LightBadge ctx={ctx} light={stage.light} />
          </h2>
          <Table
            label={named(ctx, stage)}
            heads={[
              '#',
              t('事项', 'Step'),
              t('办理部门', 'Held by'),
              t('状态', 'Status'),
              t('件类（五件）', 'Kind of case'),
              t('灯', 'Light'),
              t('承诺截止', 'Due'),
              t('剩余工作日', 'Days left'),
            ]}
          >
            {stage.steps.map((s) => (
              <>
                <tr data-step={s.stepId}>
                  <td>
                    {critical.has(s.stepId) ? <span title={t('关键路径', 'critical path')}>◆ </span> : null}
                    {s.stepId}
                  </td>
                  <td>{named(ctx, s)}</td>
                  <td>{holder(s)}</td>
                  <td class="status">
                    {'opening' in s && s.opening
                      ? t('即将可申报', 'opening: ready in a moment')
                      : stepStatusText(t, s.status)}
                  </td>
                  <td class="kinds" data-kinds={s.caseKinds.join(' ')}>
                    {s.caseKinds.length > 0 ? s.caseKinds.map((k) => caseKindText(t, k)).join('、') : '—'}
                  </td>
                  <td>
                    <LightBadge ctx={ctx} light={s.clock?.light} />
                  </td>
                  <td>
                    {('dueDate' in s ? s.dueDate : undefined) ?? '—'}
                    <Guessed ctx={ctx} on={'dueFlagged' in s ? s.dueFlagged : undefined} />
                  </td>
                  <td>{s.clock && !s.decidedAt ? s.clock.promisedDaysLeft : '—'}</td>
                </tr>
                {(s.parts ?? []).map((p) => (
                  <tr>
                    <td />
                    <td>└ {named(ctx, p)}</td>
                    <td>{p.departmentName ?? '—'}</td>
                    <td class="status">{stepStatusText(t, p.status)}</td>
                    <td />
                    <td>
                      <LightBadge ctx={ctx} light={p.clock?.light} />
                    </td>
                    <td>
                      {'dueDate' in p ? (p.dueDate ?? '—') : '—'}
                      <Guessed ctx={ctx} on={'dueFlagged' in p ? p.dueFlagged : undefined} />
                    </td>
                    <td>{p.clock && !('decidedAt' in p && p.decidedAt) ? p.clock.promisedDaysLeft : '—'}</td>
                  </tr>
                ))}
              </>
            ))}
          </Table>
        </section>
      ))}
    </>
  );
}
