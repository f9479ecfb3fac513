import type { getProjectView } from '../../../shared/app/project-view.js';
import type { ComplaintView } from '../../../shared/domain/complaint.js';
import { localDate } from '../../../shared/domain/local-time.js';
import { named, type PageContext } from '../../http/i18n.js';
import { complaintCategoryText, complaintFindingText, complaintStatusText } from '../../http/labels.js';
import { Guessed } from '../guessed.js';
import { LightBadge, Table } from '../layout.js';

/**
 * The project page's cards for issue 12's features: approval documents (批文/证照) with their CSV, materials accepted
 * as missing (容缺受理) with the agent's form to supply them, approvals on commitment (告知承诺制) and their
 * verification, and efficiency complaints (效能投诉) with the complainant's form.
 */

/** A project as its page shows it (the project page and its cards). */
export type ProjectView = Awaited<ReturnType<typeof getProjectView>>;

const stepsOf = (view: ProjectView) => view.stages.flatMap((s) => s.steps);
type StepView = ReturnType<typeof stepsOf>[number];

/** A step's 容缺 record and its 告知承诺 record (a step not yet opened has neither). */
const deferredOf = (s: StepView) => ('deferred' in s ? s.deferred : undefined);
const commitmentOf = (s: StepView) => ('commitment' in s ? s.commitment : undefined);

/** The approvals with their documents' numbers and dates, and the same list as CSV. */
export function ApprovalsCard(props: { ctx: PageContext; view: ProjectView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const title = t('批文与证照', 'Approval documents');
  return (
    <section class="card" aria-labelledby="approvals-h">
      <h2 id="approvals-h">{title}</h2>
      {view.approvals.length === 0 ? (
        <p>{t('暂无批文。', 'No approvals yet.')}</p>
      ) : (
        <Table
          label={title}
          heads={[
            t('事项', 'Step'),
            t('部门', 'Department'),
            t('文号', 'Number'),
            t('日期', 'Date'),
            t('附加条件', 'Conditions'),
          ]}
        >
          {view.approvals.map((a) => (
            <tr data-approval={`${a.stepId}${a.partId ? `.${a.partId}` : ''}`}>
              <td>
                {a.stepId} {a.stepName}
              </td>
              <td>{a.departmentName ?? '—'}</td>
              <td>{a.documentNumber ?? '—'}</td>
              <td>{a.documentDate ?? '—'}</td>
              <td>{a.conditions.length > 0 ? a.conditions.join('；') : '—'}</td>
            </tr>
          ))}
        </Table>
      )}
      <p>
        <a href={`/projects/${view.project.projectId}/approvals.csv`} download>
          {t('下载批文清单（CSV）', 'Download the list of approvals (CSV)')}
        </a>
      </p>
    </section>
  );
}

/** 容缺受理: what is still to be supplied and by when; the agent ticks what they hand in. */
export function DeferredCard(props: {
  ctx: PageContext;
  view: ProjectView;
  supplies: boolean;
  prefill: Record<string, string> | undefined;
}) {
  const { ctx, view } = props;
  const { t } = ctx;
  const deferred = stepsOf(view).flatMap((s) => {
    const d = deferredOf(s);
    return d && (d.materials.length > 0 || d.supplied.length > 0) ? [{ s, d }] : [];
  });
  if (deferred.length === 0) return null;
  const ticked = new Set((props.prefill?.supplied ?? '').split('\n'));
  return (
    <section class="card" aria-labelledby="deferred-h">
      <h2 id="deferred-h">{t('容缺受理的材料', 'Materials accepted as missing (容缺)')}</h2>
      {deferred.map(({ s, d }) => {
        return (
          <div data-deferred={s.stepId}>
            <h3>
              {s.stepId} {named(ctx, s)}
            </h3>
            <p>
              {d.materials.length > 0
                ? t(`须于 ${d.supplyBy} 前补交：`, `To supply by ${d.supplyBy}: `)
                : t('容缺材料已全部补交。', 'All deferred materials are in.')}
              {d.materials.length > 0 ? <Guessed ctx={ctx} on={d.supplyByFlagged} /> : null}
              {d.materials.map((m) => m.name).join('、')}
              {d.missed ? (
                <strong>
                  {' '}
                  {t('（已逾期未补交，记申请人违约）', '(deadline missed: the applicant’s breach)')}
                </strong>
              ) : null}
            </p>
            {d.supplied.length > 0 ? (
              <p class="muted">
                {t('已补交：', 'Supplied: ')}
                {d.supplied.map((m) => `${m.name}（${localDate(m.at)}）`).join('、')}
              </p>
            ) : null}
            {props.supplies && d.materials.length > 0 ? (
              <form
                method="post"
                action={`/app/projects/${view.project.projectId}/steps/${s.stepId}/deferred`}
              >
                <fieldset>
                  <legend>{t('本次补交的材料', 'Materials handed in now')}</legend>
                  {d.materials.map((m) => (
                    <div class="check">
                      <input
                        type="checkbox"
                        name="supplied"
                        id={`def-${s.stepId}-${m.materialId}`}
                        value={m.materialId}
                        checked={ticked.has(m.materialId)}
                      />
                      <label for={`def-${s.stepId}-${m.materialId}`}>{m.name}</label>
                    </div>
                  ))}
                </fieldset>
                <button type="submit">{t('补交材料', 'Supply the materials')}</button>
              </form>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}

/** 告知承诺制: approvals given on the enterprise's commitment, and their verification. */
export function CommitmentsCard(props: { ctx: PageContext; view: ProjectView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const committed = stepsOf(view).flatMap((s) => {
    const c = commitmentOf(s);
    return c ? [{ s, c }] : [];
  });
  if (committed.length === 0) return null;
  const title = t('告知承诺', 'Approvals on commitment');
  return (
    <section class="card" aria-labelledby="commit-h">
      <h2 id="commit-h">{title}</h2>
      <Table
        label={title}
        heads={[
          t('事项', 'Step'),
          t('承诺人', 'Signed by'),
          t('代替的材料', 'Instead of'),
          t('核查期限', 'Verify by'),
          t('核查结果', 'Verification'),
        ]}
      >
        {committed.map(({ s, c }) => {
          return (
            <tr data-commitment={s.stepId}>
              <td>
                {s.stepId} {named(ctx, s)}
              </td>
              <td>
                {c.signatory}（{c.signedOn}）
              </td>
              <td>{c.replaces.map((m) => m.name).join('、')}</td>
              <td>
                {c.verifyBy ?? t('批准后起算', 'from the approval')}
                <Guessed ctx={ctx} on={c.verifyByFlagged} />
                {c.overdue ? <strong> {t('（已逾期）', '(overdue)')}</strong> : null}
              </td>
              <td>
                {c.verification
                  ? c.verification.result === 'passed'
                    ? t('核查通过', 'passed')
                    : t('核查不通过，批准已撤销', 'failed: the approval was revoked')
                  : t('待核查', 'to be verified')}
              </td>
            </tr>
          );
        })}
      </Table>
    </section>
  );
}

/** 效能投诉: the caller's complaints about this project's steps, and the form to file one. */
export function ComplaintCard(props: {
  ctx: PageContext;
  view: ProjectView;
  mine: ComplaintView[];
  prefill: Record<string, string> | undefined;
}) {
  const { ctx, view } = props;
  const { t } = ctx;
  const v = props.prefill ?? {};
  // a department's conduct on a step that has opened: the step, or one department's part of a joint review
  const targets = stepsOf(view)
    .filter((s) => s.status !== 'pending')
    .flatMap((s) => [
      ...(s.departmentId
        ? [
            {
              value: s.stepId,
              label: `${s.stepId} ${named(ctx, s)}（${s.departmentName ?? s.departmentId}）`,
            },
          ]
        : []),
      ...(s.parts ?? [])
        .filter((p) => p.status !== 'pending')
        .map((p) => ({
          value: `${s.stepId}.${p.partId}`,
          label: `${s.stepId} ${named(ctx, s)} · ${named(ctx, p)}（${p.departmentName ?? p.departmentId}）`,
        })),
    ]);
  const categories = ['delay', 'shifting_responsibility', 'improper_demands', 'other'] as const;
  return (
    <section class="card" aria-labelledby="complaint-h">
      <h2 id="complaint-h">{t('效能投诉', 'Efficiency complaint')}</h2>
      {props.mine.length > 0 ? (
        <ul>
          {props.mine.map((c) => (
            <li data-complaint={c.number}>
              {c.number} · {c.stepId} {c.stepName} · {complaintCategoryText(t, c.category)} ·{' '}
              <strong>{complaintStatusText(t, c.status)}</strong>
              {c.status === 'closed' ? (
                <>
                  {' '}
                  · {complaintFindingText(t, c.finding)}：{c.actionTaken ?? ''}
                </>
              ) : (
                <>
                  {' '}
                  · {t(`${c.dueDate} 前办结`, `due ${c.dueDate}`)}
                  <Guessed ctx={ctx} on={c.dueFlagged} /> <LightBadge ctx={ctx} light={c.light} />
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {targets.length === 0 ? (
        <p class="muted">
          {t(
            '尚无部门办理过的事项，暂不能投诉。',
            'No department has handled a step yet: nothing to complain of.',
          )}
        </p>
      ) : (
        <details open={props.prefill !== undefined}>
          <summary>{t('对办理部门提出效能投诉', 'Complain about a department’s conduct')}</summary>
          <p class="hint">
            {t(
              '投诉由效能办受理、调查和办结；被投诉部门看不到投诉人。',
              'The efficiency office acknowledges, investigates and closes it; the department never sees who complained.',
            )}
          </p>
          <form method="post" action={`/app/projects/${view.project.projectId}/complaints`}>
            <label for="complaint-step">{t('事项', 'Step')}</label>
            <select id="complaint-step" name="step">
              {targets.map((o) => (
                <option value={o.value} selected={v.step === o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <label for="complaint-category">{t('类别', 'Category')}</label>
            <select id="complaint-category" name="category">
              {categories.map((k) => (
                <option value={k} selected={v.category === k}>
                  {complaintCategoryText(t, k)}
                </option>
              ))}
            </select>
            <label for="complaint-description">
              {t('情况说明（至少 10 个字）', 'What happened (at least 10 characters)')}
            </label>
            <textarea id="complaint-description" name="description">
              {v.description ?? ''}
            </textarea>
            <button type="submit">{t('提交投诉', 'File the complaint')}</button>
          </form>
        </details>
      )}
    </section>
  );
}
