import { z } from 'zod';
import { acknowledge, close, investigate, listComplaints } from '../../../shared/app/complaints.js';
import {
  ComplaintClosureSchema,
  ComplaintNoteSchema,
  type ComplaintView,
} from '../../../shared/domain/complaint.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import { localDateTime } from '../../../shared/domain/local-time.js';
import type { Principal } from '../../../shared/domain/principal.js';
import { chinaDate } from '../../../shared/domain/working-days.js';
import type { ApiDeps } from '../../http/env.js';
import { named, type PageContext } from '../../http/i18n.js';
import {
  complaintCategoryText,
  complaintFindingText,
  complaintStatusText,
  roleText,
} from '../../http/labels.js';
import { Layout, LightBadge, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import { act, type Form, formOf, render, requireRole, type WebApp, type WebContext } from '../web-env.js';

const ComplaintId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id is letters, digits, _ or -');

type Prefill = { complaintId: string; values: Record<string, string> };

/**
 * 行政效能投诉 as pages: the efficiency office's list with the forms to acknowledge, investigate and close; a
 * department's list of the complaints about it (never who complained); a complainant's own complaints and their
 * progress. Filing is on the project page (a complaint is about a step).
 */
export function complaintPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  const listPage = async (c: WebContext, error?: string, status?: RefusalStatus, prefill?: Prefill) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['efficiency', 'leader', 'admin', 'officer', 'investor', 'agent']);
    const [list, departments] = await Promise.all([
      listComplaints(ctx, principal, {}, { limit: 100 }),
      ctx.store.listDepartments(),
    ]);
    const departmentName = new Map(departments.map((d) => [d.id, named(page, d)]));
    const today = chinaDate(ctx.clock.now());
    const handles = principal.role === 'efficiency';
    const title =
      principal.role === 'investor' || principal.role === 'agent'
        ? t('我的效能投诉', 'My efficiency complaints')
        : principal.role === 'officer'
          ? t('对本部门的效能投诉', 'Efficiency complaints about us')
          : t('行政效能投诉', 'Efficiency complaints');
    const open = list.items.filter((c) => c.status !== 'closed');
    const overdue = open.filter((c) => c.dueDate < today).length;
    const dueSoon = open.filter((c) => c.light === 'yellow' && c.dueDate >= today).length;
    return render(
      c,
      <Layout ctx={page} title={title} flash={takeFlash(c)} error={error}>
        <div class="grid">
          <div class="stat">
            <div class="muted">{t('未办结', 'Open')}</div>
            <div class="n">{open.length}</div>
          </div>
          <div class="stat">
            <div class="muted">{t('临近到期（黄灯）', 'Nearly due (yellow)')}</div>
            <div class="n">{dueSoon}</div>
          </div>
          <div class="stat">
            <div class="muted">{t('已超期（红灯）', 'Overdue (red)')}</div>
            <div class="n">{overdue}</div>
          </div>
        </div>
        {principal.role === 'efficiency' || principal.role === 'leader' || principal.role === 'admin' ? (
          <p>
            <a href="/app/reports/complaints">
              {t(
                '各部门投诉统计（属实率、按时办结率）',
                'Complaint figures by department (upheld, closed on time)',
              )}
            </a>
          </p>
        ) : null}
        {principal.role === 'officer' ? (
          <p class="muted">
            {t(
              '投诉人信息保密：本页只显示被投诉的事项、调查结论和处理结果。',
              'Complainants are kept confidential: this page shows the step complained of, the finding and the action taken.',
            )}
          </p>
        ) : null}
        {principal.role === 'investor' || principal.role === 'agent' ? (
          <p class="muted">
            {t(
              '在项目页面的“效能投诉”中可对某一事项的办理部门提出投诉。',
              'File a complaint about a step’s department under “Efficiency complaint” on the project’s page.',
            )}
          </p>
        ) : null}
        {list.items.length === 0 ? <p>{t('暂无效能投诉。', 'No complaints.')}</p> : null}
        <Table
          label={title}
          heads={[
            t('编号', 'Number'),
            t('项目与事项', 'Project and step'),
            t('被投诉部门', 'Department'),
            t('类别', 'Category'),
            t('状态', 'Status'),
            t('灯', 'Light'),
            t('办结时限', 'Due'),
            principal.role === 'officer' ? null : t('投诉人', 'Complainant'),
            t('结论与处理结果', 'Finding and action'),
          ]}
        >
          {list.items.map((item) => (
            <tr data-complaint={item.number}>
              <td>{item.number}</td>
              <td>
                {principal.role === 'efficiency' ? (
                  item.projectName
                ) : (
                  <a href={`/app/projects/${item.projectId}`}>{item.projectName}</a>
                )}
                <div class="muted">
                  {item.projectCode} · {item.stepId} {item.stepName}
                </div>
              </td>
              <td>{departmentName.get(item.departmentId) ?? item.departmentId}</td>
              <td>{complaintCategoryText(t, item.category)}</td>
              <td class="status">{complaintStatusText(t, item.status)}</td>
              <td>
                {item.status === 'closed' ? (
                  <span class="muted">
                    {item.closedOnTime ? t('按时办结', 'on time') : t('逾期办结', 'late')}
                  </span>
                ) : (
                  <LightBadge ctx={page} light={item.light} />
                )}
              </td>
              <td>{item.dueDate}</td>
              {principal.role === 'officer' ? null : (
                <td>
                  {item.complainant
                    ? `${item.complainant.name}（${roleText(t, item.complainant.role)}）`
                    : '—'}
                </td>
              )}
              <td>
                {item.finding ? (
                  <>
                    <strong>{complaintFindingText(t, item.finding)}</strong>：{item.actionTaken ?? ''}
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </Table>
        {list.items.map((item) => (
          <ComplaintCard
            ctx={page}
            item={item}
            principal={principal}
            handles={handles}
            prefill={prefill?.complaintId === item.complaintId ? prefill.values : undefined}
          />
        ))}
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/complaints', (c) => listPage(c));

  const handling = [
    {
      path: 'acknowledge',
      run: (principal: Principal, id: string, form: Form) => acknowledge(ctx, principal, id, noteOf(form)),
      done: ['已受理', 'acknowledged'],
    },
    {
      path: 'investigate',
      run: (principal: Principal, id: string, form: Form) => investigate(ctx, principal, id, noteOf(form)),
      done: ['已开始调查核实', 'under investigation'],
    },
    {
      path: 'close',
      run: (principal: Principal, id: string, form: Form) => {
        if (!form.get('finding')) {
          throw new InvalidInputError(
            'FORM.FINDING',
            'choose the finding: upheld (投诉属实) or not upheld (投诉不属实)',
          );
        }
        return close(
          ctx,
          principal,
          id,
          ComplaintClosureSchema.parse({
            finding: form.get('finding'),
            actionTaken: form.get('actionTaken'),
            ...(form.get('note') ? { note: form.get('note') } : {}),
          }),
        );
      },
      done: ['已办结', 'closed'],
    },
  ] as const;
  for (const route of handling) {
    app.post(`/app/complaints/:id/${route.path}`, async (c) => {
      const principal = requireRole(c, ['efficiency']);
      const form = await formOf(c);
      const { t } = c.get('page');
      const complaintId = c.req.param('id');
      return act(
        c,
        async () => {
          const complaint = await route.run(principal, ComplaintId.parse(complaintId), form);
          return {
            message: t(`${complaint.number} ${route.done[0]}`, `${complaint.number}: ${route.done[1]}`),
            to: '/app/complaints',
          };
        },
        (error, status) =>
          listPage(c, error, status, {
            complaintId,
            values: {
              form: route.path,
              finding: form.get('finding'),
              actionTaken: form.get('actionTaken'),
              note: form.get('note'),
            },
          }),
      );
    });
  }
}

const noteOf = (form: Form) =>
  ComplaintNoteSchema.parse(form.get('note') ? { note: form.get('note') } : {}).note;

/** One complaint: what was said, its record, and (for the efficiency office) the form of its next move. */
function ComplaintCard(props: {
  ctx: PageContext;
  item: ComplaintView;
  principal: Principal;
  handles: boolean;
  prefill: Record<string, string> | undefined;
}) {
  const { ctx, item } = props;
  const { t } = ctx;
  const v = props.prefill ?? {};
  const id = `c-${item.complaintId}`;
  const next =
    item.status === 'filed'
      ? 'acknowledge'
      : item.status === 'acknowledged'
        ? 'investigate'
        : item.status === 'investigating'
          ? 'close'
          : undefined;
  return (
    <section class="card" aria-labelledby={`h-${id}`}>
      <h2 id={`h-${id}`}>
        {item.number} · {item.stepName}{' '}
        <LightBadge ctx={ctx} light={item.status === 'closed' ? null : item.light} />
      </h2>
      <p>{item.description}</p>
      <details>
        <summary>{t('办理记录', 'Record')}</summary>
        <ul>
          {item.record.map((entry) => (
            <li>
              {localDateTime(entry.at)} · {complaintStatusText(t, entry.status)} · {entry.by.name}
              {entry.note ? `：${entry.note}` : ''}
            </li>
          ))}
        </ul>
      </details>
      {props.handles && next ? (
        <details open={props.prefill !== undefined}>
          <summary>
            {next === 'acknowledge'
              ? t('受理', 'Acknowledge')
              : next === 'investigate'
                ? t('开始调查核实', 'Start the investigation')
                : t('办结', 'Close with a finding')}
          </summary>
          <form method="post" action={`/app/complaints/${item.complaintId}/${next}`} data-handle={next}>
            {next === 'close' ? (
              <>
                <fieldset>
                  <legend>{t('调查结论', 'Finding')}</legend>
                  {(['upheld', 'not_upheld'] as const).map((finding) => (
                    <div class="check">
                      <input
                        type="radio"
                        name="finding"
                        id={`${id}-${finding}`}
                        value={finding}
                        checked={v.finding === finding}
                      />
                      <label for={`${id}-${finding}`}>{complaintFindingText(t, finding)}</label>
                    </div>
                  ))}
                </fieldset>
                <label for={`${id}-action`}>{t('处理结果（必填）', 'Action taken (required)')}</label>
                <textarea id={`${id}-action`} name="actionTaken">
                  {v.actionTaken ?? ''}
                </textarea>
              </>
            ) : null}
            <label for={`${id}-note`}>{t('说明', 'Note')}</label>
            <input type="text" id={`${id}-note`} name="note" value={v.note ?? ''} />
            <button type="submit">
              {next === 'acknowledge'
                ? t('受理', 'Acknowledge')
                : next === 'investigate'
                  ? t('开始调查核实', 'Start the investigation')
                  : t('办结', 'Close')}
            </button>
          </form>
        </details>
      ) : null}
    </section>
  );
}
