import { commitmentsToVerify } from '../../../shared/app/commitment-queue.js';
import { departmentInbox, stageLeadView } from '../../../shared/app/department-views.js';
import { decideStep, endClockPause, pauseClock, verifyCommitment } from '../../../shared/app/step-actions.js';
import { VerificationSchema } from '../../../shared/domain/commitment.js';
import { DecisionRequestSchema } from '../../../shared/domain/decision.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import { localDate } from '../../../shared/domain/local-time.js';
import type { Principal } from '../../../shared/domain/principal.js';
import { chinaDate } from '../../../shared/domain/working-days.js';
import type { ApiDeps } from '../../http/env.js';
import type { PageContext } from '../../http/i18n.js';
import { outcomeText, pauseKindText, stepStatusText } from '../../http/labels.js';
import { ClockPauseInputSchema } from '../../http/request-schemas.js';
import { Guessed } from '../guessed.js';
import { Layout, LightBadge, ProjectCell, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import {
  type Form,
  itemTargetOf,
  linesOf,
  pageForms,
  render,
  requireRole,
  stepTargetOf,
  type WebApp,
  type WebContext,
} from '../web-env.js';

/** The decision a form describes, checked by the same schema as the API's. */
export function decisionFromForm(form: Form) {
  const comment = form.get('comment');
  const withComment = comment ? { comment } : {};
  const outcome = form.get('outcome');
  // an approval is issued as a document (批文/证照): its number and the date it bears
  const document = { number: form.get('documentNumber'), date: form.get('documentDate') };
  switch (outcome) {
    case 'approved':
      return DecisionRequestSchema.parse({ outcome, document, ...withComment });
    case 'approved_with_conditions':
      return DecisionRequestSchema.parse({
        outcome,
        conditions: linesOf(form.get('conditions')),
        document,
        ...withComment,
      });
    case 'supplement': {
      const repeatReason = form.get('repeatReason');
      return DecisionRequestSchema.parse({
        outcome,
        missingMaterials: materialsFromLines(form.get('materials')),
        ...(repeatReason ? { repeatReason } : {}),
        ...withComment,
      });
    }
    case 'rejected':
      return DecisionRequestSchema.parse({
        outcome,
        legalBasis: form.get('legalBasis'),
        reason: form.get('reason'),
      });
    case 'not_applicable':
      return DecisionRequestSchema.parse({ outcome, reason: form.get('reason') });
    default:
      throw new InvalidInputError(
        'FORM.OUTCOME',
        'choose a decision (approve, conditions, supplement, reject, n/a)',
      );
  }
}

/** "材料名称｜原因" per line (｜ or |): the one-time notice's list. */
export function materialsFromLines(text: string) {
  return linesOf(text).map((line) => {
    const [name = '', ...rest] = line.split(/[｜|]/);
    return { name: name.trim(), reason: rest.join('|').trim() || '未提交' };
  });
}

type Prefill = { key: string; values: Record<string, string> };

/** The department inbox: steps and joint-review parts waiting on us, least time left first, with the decision form. */
export function inboxPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  const inboxPage = async (c: WebContext, error?: string, status?: RefusalStatus, prefill?: Prefill) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['officer', 'leader', 'admin']);
    const asked = c.req.query('dept');
    const departmentId =
      principal.role === 'officer'
        ? (principal.departmentId ?? '')
        : asked && /^[A-Z][A-Z0-9_]{1,15}$/.test(asked)
          ? asked
          : '';
    const departments = await ctx.store.listDepartments();
    const department = departments.find((d) => d.id === departmentId);
    if (!department) {
      return render(
        c,
        <Layout ctx={page} title={t('部门待办', 'Department inbox')} error={error}>
          <form method="get" action="/app/inbox">
            <label for="dept">{t('部门', 'Department')}</label>
            <select id="dept" name="dept">
              {departments.map((d) => (
                <option value={d.id}>{page.lang === 'en' ? d.nameEn : d.name}</option>
              ))}
            </select>
            <button type="submit">{t('查看', 'Show')}</button>
          </form>
        </Layout>,
        status ?? 200,
      );
    }
    const inbox = await departmentInbox(ctx, principal, departmentId, { limit: 100 });
    const leads = await stageLeadView(ctx, principal, departmentId, { limit: 20 });
    const commitments = await commitmentsToVerify(ctx, principal, departmentId);
    const title = `${page.lang === 'en' ? department.nameEn : department.name} · ${t('待办', 'inbox')}`;
    const mayDecide = principal.role === 'officer';
    const names = new Map(departments.map((d) => [d.id, page.lang === 'en' ? d.nameEn : d.name]));
    const dept = (id: string | null | undefined) => (id ? (names.get(id) ?? id) : '—');
    return render(
      c,
      <Layout ctx={page} title={title} flash={takeFlash(c)} error={error}>
        <p>
          {t(
            `等待本部门决定的事项 ${inbox.steps.length} 项，按剩余时限排序（红灯已超期，黄灯临近届满）。`,
            `${inbox.steps.length} steps and parts wait on our decision, least time left first (red: overdue, yellow: nearly due).`,
          )}
        </p>
        {department.level !== 'district' ? (
          <p>
            <a href="/app/batches">
              {t('区县代办员送来的批次（上下协同）', 'Batches carried up by district agents')}
            </a>
          </p>
        ) : null}
        <Table
          label={title}
          class="cards"
          heads={[
            t('灯', 'Light'),
            t('项目', 'Project'),
            t('事项', 'Step'),
            t('受理', 'Accepted'),
            t('承诺截止', 'Due'),
            t('剩余工作日', 'Days left'),
            t('法定截止', 'Legal due'),
          ]}
        >
          {inbox.steps.map((row) => (
            <tr data-step={`${row.projectCode}:${row.stepId}${row.partId ? `.${row.partId}` : ''}`}>
              <td data-label={t('灯', 'Light')}>
                <LightBadge ctx={page} light={row.light} />
                {row.paused ? <span class="muted"> {t('（暂停计时）', '(clock paused)')}</span> : null}
              </td>
              <ProjectCell label={t('项目', 'Project')} project={row} />
              <td data-label={t('事项', 'Step')}>
                {row.stepId} {row.stepName}
                {'partName' in row && row.partName ? `（${row.partName}）` : ''}
                {row.supplementRounds > 0 ? (
                  <div class="muted">
                    {t(`已补正 ${row.supplementRounds} 次`, `${row.supplementRounds} supplement round(s)`)}
                  </div>
                ) : null}
              </td>
              <td data-label={t('受理', 'Accepted')}>
                {row.acceptedOn ?? (row.submittedAt ? localDate(row.submittedAt) : '—')}
              </td>
              <td data-label={t('承诺截止', 'Due')}>
                {row.dueDate ?? '—'}
                <Guessed ctx={page} on={row.dueFlagged} />
              </td>
              <td data-label={t('剩余工作日', 'Days left')}>{row.workingDaysLeft ?? '—'}</td>
              <td data-label={t('法定截止', 'Legal due')}>
                {row.legalDueDate ?? '—'}
                <Guessed ctx={page} on={row.legalDueFlagged} />
              </td>
            </tr>
          ))}
        </Table>
        {mayDecide
          ? inbox.steps.map((row) => (
              <DecisionForms
                ctx={page}
                row={row}
                prefill={prefill?.key === keyOf(row) ? prefill.values : undefined}
                principal={principal}
                today={chinaDate(ctx.clock.now())}
              />
            ))
          : null}
        {commitments.length > 0 ? (
          <CommitmentsToVerify
            ctx={page}
            rows={commitments}
            mayVerify={mayDecide}
            today={chinaDate(ctx.clock.now())}
            prefill={prefill}
          />
        ) : null}
        {leads.projects.length > 0 ? (
          <section class="card" aria-labelledby="lead-h">
            <h2 id="lead-h">{t('本部门牵头的阶段', 'Stages we lead')}</h2>
            <Table
              label={t('牵头阶段', 'Stages we lead')}
              heads={[
                t('项目', 'Project'),
                t('阶段', 'Stage'),
                t('灯', 'Light'),
                t('已办结', 'Closed'),
                t('审查中的事项', 'In review'),
              ]}
            >
              {leads.projects.map((p) => (
                <tr>
                  <td>
                    <a href={`/app/projects/${p.projectId}`}>{p.projectName}</a>
                  </td>
                  <td>{p.stage.name}</td>
                  <td>
                    <LightBadge ctx={page} light={p.stage.light} />
                  </td>
                  <td>
                    {p.stage.closed}/{p.stage.total}
                  </td>
                  <td>
                    {p.steps
                      .filter((s) => s.status === 'in_review')
                      .map((s) => `${s.stepId} ${s.name}（${dept(s.departmentId)}）`)
                      .join('；') || '—'}
                  </td>
                </tr>
              ))}
            </Table>
          </section>
        ) : null}
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/inbox', (c) => inboxPage(c));

  const inboxForm = pageForms(app, {
    path: '/app/inbox',
    roles: ['officer'],
    again: (c, form, error, status) => inboxPage(c, error, status, prefillOf(form)),
  });

  inboxForm('/app/inbox/decide', async ({ principal, form, t }) => {
    const target = itemTargetOf(form);
    const decision = decisionFromForm(form);
    const step = await decideStep(ctx, principal, target.projectId, target, decision);
    return t(
      `已决定：第 ${step.stepId} 项${step.partId ? `（${step.partId}）` : ''} ${outcomeText(t, decision.outcome)}，状态 ${stepStatusText(t, step.status)}`,
      `Decided step ${step.stepId}${step.partId ? ` (${step.partId})` : ''}: ${outcomeText(t, decision.outcome)}; now ${stepStatusText(t, step.status)}`,
    );
  });

  inboxForm('/app/inbox/pause', async ({ principal, form, t }) => {
    const target = itemTargetOf(form);
    const pause = ClockPauseInputSchema.parse({
      kind: form.get('kind'),
      reason: form.get('reason'),
      ...(form.get('expectedEnd') ? { expectedEnd: form.get('expectedEnd') } : {}),
    });
    await pauseClock(ctx, principal, target.projectId, target, pause);
    return t(
      `第 ${target.stepId} 项暂停计时：${pauseKindText(t, pause.kind)}`,
      `Clock of step ${target.stepId} paused: ${pauseKindText(t, pause.kind)}`,
    );
  });

  // 告知承诺核查: the officer records what the verification found; a failure revokes the approval.
  inboxForm('/app/inbox/verify', async ({ principal, form, t }) => {
    const target = stepTargetOf(form);
    const verification = VerificationSchema.parse({
      result: form.get('result') || undefined,
      findings: form.get('findings'),
      ...(form.get('legalBasis') ? { legalBasis: form.get('legalBasis') } : {}),
    });
    await verifyCommitment(ctx, principal, target.projectId, target.stepId, verification);
    return verification.result === 'passed'
      ? t(`第 ${target.stepId} 项告知承诺核查通过`, `Step ${target.stepId}: the commitment is verified`)
      : t(
          `第 ${target.stepId} 项告知承诺核查不通过，批准已撤销，项目退回该事项`,
          `Step ${target.stepId}: the verification failed; the approval is revoked and the project returned at the step`,
        );
  });

  inboxForm(
    '/app/inbox/resume',
    async ({ principal, form, t }) => {
      const target = itemTargetOf(form);
      const step = await endClockPause(ctx, principal, target.projectId, target);
      return t(
        `第 ${target.stepId} 项恢复计时，承诺截止 ${step.dueDate ?? ''}`,
        `Clock of step ${target.stepId} runs again; due ${step.dueDate ?? ''}`,
      );
    },
    // the resume form is one button: nothing to fill in again
    (c, _form, error, status) => inboxPage(c, error, status),
  );
}

type InboxRow = Awaited<ReturnType<typeof departmentInbox>>['steps'][number];

const keyOf = (row: { projectId: string; stepId: string; partId?: string }) =>
  `${row.projectId}:${row.stepId}:${row.partId ?? ''}`;

function prefillOf(form: Form): Prefill {
  const values: Record<string, string> = {};
  for (const name of [
    'outcome',
    'documentNumber',
    'documentDate',
    'conditions',
    'materials',
    'repeatReason',
    'legalBasis',
    'reason',
    'comment',
    'kind',
    'expectedEnd',
    'result',
    'findings',
  ])
    values[name] = form.get(name);
  return { key: `${form.get('projectId')}:${form.get('stepId')}:${form.get('partId')}`, values };
}

/** One row's decision form (and its clock pause), folded away until opened; opened again after a refusal. */
function DecisionForms(props: {
  ctx: PageContext;
  row: InboxRow;
  prefill: Record<string, string> | undefined;
  principal: Principal;
  /** the China date, the document's date unless the officer says otherwise */
  today: string;
}) {
  const { ctx, row, today } = props;
  const { t } = ctx;
  const v = props.prefill ?? {};
  const id = `${row.projectId}-${row.stepId}-${'partId' in row ? (row.partId ?? '') : ''}`;
  const partId = 'partId' in row ? (row.partId ?? '') : '';
  const hidden = (
    <>
      <input type="hidden" name="projectId" value={row.projectId} />
      <input type="hidden" name="stepId" value={row.stepId} />
      <input type="hidden" name="partId" value={partId} />
    </>
  );
  const outcomes = [
    'approved',
    'approved_with_conditions',
    'supplement',
    'rejected',
    'not_applicable',
  ] as const;
  return (
    <section class="card" aria-labelledby={`h-${id}`}>
      <h2 id={`h-${id}`}>
        {row.projectName} · {row.stepId} {row.stepName}
        {'partName' in row && row.partName ? `（${row.partName}）` : ''}{' '}
        <LightBadge ctx={ctx} light={row.light} />
      </h2>
      <details open={props.prefill !== undefined}>
        <summary>{t('作出决定', 'Decide')}</summary>
        <form
          method="post"
          action="/app/inbox/decide"
          data-decide={`${row.projectCode}:${row.stepId}${partId ? `.${partId}` : ''}`}
        >
          {hidden}
          <fieldset>
            <legend>{t('决定', 'Decision')}</legend>
            {outcomes.map((outcome) => (
              <div class="check">
                <input
                  type="radio"
                  name="outcome"
                  id={`${id}-${outcome}`}
                  value={outcome}
                  checked={(v.outcome || 'approved') === outcome}
                />
                <label for={`${id}-${outcome}`}>{outcomeText(t, outcome)}</label>
              </div>
            ))}
          </fieldset>
          <label for={`${id}-docno`}>
            {t('批文/证照文号（同意时必填）', 'Approval document number (for an approval)')}
          </label>
          <input
            type="text"
            id={`${id}-docno`}
            name="documentNumber"
            value={v.documentNumber ?? ''}
            placeholder="宁环建〔2026〕118号"
          />
          <label for={`${id}-docdate`}>{t('批文/证照日期', 'Date of the document')}</label>
          <input type="date" id={`${id}-docdate`} name="documentDate" value={v.documentDate ?? today} />
          <label for={`${id}-conditions`}>
            {t(
              '附加条件（每行一条；有条件同意时必填）',
              'Conditions (one per line; for approval with conditions)',
            )}
          </label>
          <textarea id={`${id}-conditions`} name="conditions">
            {v.conditions ?? ''}
          </textarea>
          <label for={`${id}-materials`}>
            {t(
              '需补正材料（每行“材料｜原因”，一次列全）',
              'Missing materials (one per line, "material | reason"; list them all at once)',
            )}
          </label>
          <textarea id={`${id}-materials`} name="materials">
            {v.materials ?? ''}
          </textarea>
          <label for={`${id}-repeat`}>
            {t(
              '再次补正的理由（第二次要求补正时）',
              'Why this was not asked the first time (a second supplement request)',
            )}
          </label>
          <input type="text" id={`${id}-repeat`} name="repeatReason" value={v.repeatReason ?? ''} />
          <label for={`${id}-basis`}>
            {t('法律依据（不予许可时必填）', 'Legal basis (for a rejection)')}
          </label>
          <input type="text" id={`${id}-basis`} name="legalBasis" value={v.legalBasis ?? ''} />
          <label for={`${id}-reason`}>
            {t('理由（不予许可或不适用时必填）', 'Reason (for a rejection or not applicable)')}
          </label>
          <input type="text" id={`${id}-reason`} name="reason" value={v.reason ?? ''} />
          <label for={`${id}-comment`}>{t('意见', 'Comment')}</label>
          <input type="text" id={`${id}-comment`} name="comment" value={v.comment ?? ''} />
          <button type="submit">{t('提交决定', 'Submit the decision')}</button>
        </form>
      </details>
      <details>
        <summary>
          {row.paused
            ? t('恢复计时', 'Resume the clock')
            : t('暂停计时（听证、专家评审等）', 'Pause the clock (hearing, expert review…)')}
        </summary>
        {row.paused ? (
          <form method="post" action="/app/inbox/resume">
            {hidden}
            <button type="submit">{t('恢复计时', 'Resume the clock')}</button>
          </form>
        ) : (
          <form method="post" action="/app/inbox/pause">
            {hidden}
            <label for={`${id}-kind`}>{t('暂停事由', 'Kind')}</label>
            <select id={`${id}-kind`} name="kind">
              {(['hearing', 'expert_review', 'testing', 'site_survey'] as const).map((k) => (
                <option value={k} selected={v.kind === k}>
                  {pauseKindText(t, k)}
                </option>
              ))}
            </select>
            <label for={`${id}-preason`}>{t('说明', 'Reason')}</label>
            <input type="text" id={`${id}-preason`} name="reason" required />
            <label for={`${id}-end`}>{t('预计结束日期', 'Expected end')}</label>
            <input type="date" id={`${id}-end`} name="expectedEnd" />
            <button type="submit">{t('暂停计时', 'Pause the clock')}</button>
          </form>
        )}
      </details>
    </section>
  );
}

type CommitmentRow = Awaited<ReturnType<typeof commitmentsToVerify>>[number];

/** 告知承诺: approvals given on a commitment, waiting for the department's verification, with its form. */
function CommitmentsToVerify(props: {
  ctx: PageContext;
  rows: CommitmentRow[];
  mayVerify: boolean;
  today: string;
  prefill: Prefill | undefined;
}) {
  const { ctx, rows, today } = props;
  const { t } = ctx;
  const title = t('待核查的告知承诺', 'Commitments to verify');
  return (
    <section class="card" aria-labelledby="verify-h">
      <h2 id="verify-h">{title}</h2>
      <Table
        label={title}
        heads={[
          t('项目', 'Project'),
          t('事项', 'Step'),
          t('承诺代替的材料', 'Instead of'),
          t('核查期限', 'Verify by'),
        ]}
      >
        {rows.map((row) => (
          <tr data-verify={`${row.projectCode}:${row.stepId}`}>
            <ProjectCell project={row} />
            <td>
              {row.stepId} {row.stepName}
            </td>
            <td>{row.replaces.join('、')}</td>
            <td>
              {row.verifyBy}{' '}
              {row.overdue || row.verifyBy < today ? (
                <span class="light light-red">{t('已逾期', 'overdue')}</span>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
      {props.mayVerify
        ? rows.map((row) => {
            const id = `v-${row.projectId}-${row.stepId}`;
            const mine = props.prefill?.key === `${row.projectId}:${row.stepId}:`;
            const v = mine ? (props.prefill?.values ?? {}) : {};
            return (
              <details open={mine}>
                <summary>
                  {t('核查', 'Verify')} {row.projectName} · {row.stepId} {row.stepName}
                </summary>
                <form
                  method="post"
                  action="/app/inbox/verify"
                  data-verify-form={`${row.projectCode}:${row.stepId}`}
                >
                  <input type="hidden" name="projectId" value={row.projectId} />
                  <input type="hidden" name="stepId" value={row.stepId} />
                  <fieldset>
                    <legend>{t('核查结果', 'Result')}</legend>
                    {(['passed', 'failed'] as const).map((result) => (
                      <div class="check">
                        <input
                          type="radio"
                          name="result"
                          id={`${id}-${result}`}
                          value={result}
                          checked={(v.result || 'passed') === result}
                        />
                        <label for={`${id}-${result}`}>
                          {result === 'passed'
                            ? t('核查通过', 'Passed')
                            : t('核查不通过（撤销批准）', 'Failed (revokes the approval)')}
                        </label>
                      </div>
                    ))}
                  </fieldset>
                  <label for={`${id}-findings`}>{t('核查情况（必填）', 'What was found (required)')}</label>
                  <textarea id={`${id}-findings`} name="findings">
                    {v.findings ?? ''}
                  </textarea>
                  <label for={`${id}-basis`}>
                    {t('法律依据（不通过时）', 'Legal basis (for a failure)')}
                  </label>
                  <input type="text" id={`${id}-basis`} name="legalBasis" value={v.legalBasis ?? ''} />
                  <button type="submit">{t('记录核查结果', 'Record the verification')}</button>
                </form>
              </details>
            );
          })
        : null}
    </section>
  );
}
