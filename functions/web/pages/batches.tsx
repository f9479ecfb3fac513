import { z } from 'zod';
import { batchableSteps } from '../../../shared/app/batchable.js';
import {
  assembleBatch,
  BatchInputSchema,
  CarriedInputSchema,
  CollectionInputSchema,
  carryBatch,
  collectBatch,
  listBatches,
} from '../../../shared/app/batches.js';
import type { Batch } from '../../../shared/domain/batch.js';
import { localDate, localDateTime, localInstant } from '../../../shared/domain/local-time.js';
import { chinaDate } from '../../../shared/domain/working-days.js';
import type { ApiDeps } from '../../http/env.js';
import type { PageContext } from '../../http/i18n.js';
import { Layout, ProjectCell, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import { type Form, pageForms, render, requireRole, type WebApp, type WebContext } from '../web-env.js';

const BatchId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id is letters, digits, _ or -');

const STATUS: Record<Batch['status'], [string, string]> = {
  assembling: ['待送件', 'assembled, not yet carried'],
  carried: ['已送件，待领件', 'carried, approvals to collect'],
  collected: ['已领件', 'collected'],
  cancelled: ['已取消', 'cancelled'],
};

/** A local wall-clock time from a datetime-local field as an instant (empty: now). */
const instantOf = (value: string): string | undefined => localInstant(value);

type Prefill = { key: string; values: Record<string, string> };

/**
 * 上下协同 as pages: the agent's upper-level steps ready to carry, grouped by department, each group's form to
 * assemble a batch; the batches with the forms to record the trip (送件) and the collection of the approvals (领件)
 * with each approval document's number and date. Departments and leaders read the batches.
 */
export function batchPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  const batchesPage = async (c: WebContext, error?: string, status?: RefusalStatus, prefill?: Prefill) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['agent', 'officer', 'leader', 'admin']);
    const agent = principal.role === 'agent';
    const [groups, batches] = await Promise.all([
      agent ? batchableSteps(ctx, principal) : [],
      listBatches(ctx, principal, { limit: 50 }),
    ]);
    const title = t('上下协同送件', 'Batches to city and province');
    const today = chinaDate(ctx.clock.now());
    return render(
      c,
      <Layout ctx={page} title={title} flash={takeFlash(c)} error={error}>
        {agent ? (
          <section class="card" aria-labelledby="ready-h">
            <h2 id="ready-h">{t('可组批送件的市级、省级事项', 'Upper-level steps ready to batch')}</h2>
            {groups.length === 0 ? <p>{t('暂无待送件的事项。', 'No upper-level step is ready.')}</p> : null}
            {groups.map((group) => (
              <form method="post" action="/app/batches" data-assemble={group.departmentId}>
                <input type="hidden" name="departmentId" value={group.departmentId} />
                <fieldset>
                  <legend>
                    {group.departmentName}（{group.departmentId}）
                  </legend>
                  {group.steps.map((s) => {
                    const value = `${s.projectId}:${s.stepId}`;
                    const id = `b-${s.projectId}-${s.stepId}`;
                    return (
                      <div class="check">
                        <input type="checkbox" name="item" id={id} value={value} checked />
                        <label for={id}>
                          {s.projectName}（{s.projectCode}）· {s.stepId} {s.stepName}
                        </label>
                      </div>
                    );
                  })}
                  <label for={`note-${group.departmentId}`}>{t('备注', 'Note')}</label>
                  <input type="text" id={`note-${group.departmentId}`} name="note" />
                </fieldset>
                <button type="submit">{t('组成一批', 'Assemble a batch')}</button>
              </form>
            ))}
          </section>
        ) : null}
        <h2>{t('送件批次', 'Batches')}</h2>
        {batches.items.length === 0 ? <p>{t('暂无批次。', 'No batches yet.')}</p> : null}
        {batches.items.map((batch) => (
          <BatchCard
            ctx={page}
            batch={batch}
            mayRecord={agent && batch.agentId === principal.userId}
            today={today}
            prefill={prefill?.key === batch.batchId ? prefill.values : undefined}
          />
        ))}
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/batches', (c) => batchesPage(c));

  const batchForm = pageForms(app, {
    path: '/app/batches',
    roles: ['agent'],
    // a batch's form (carried, collected) shown again filled in as it was sent
    again: (c, form, error, status) => {
      const batchId = c.req.param('id');
      return batchesPage(c, error, status, batchId ? prefillOf(batchId, form) : undefined);
    },
  });

  batchForm('/app/batches', async ({ principal, form, t }) => {
    const input = BatchInputSchema.parse({
      departmentId: form.get('departmentId'),
      items: form.all('item').map((value) => {
        const [projectId = '', stepId = ''] = value.split(':');
        return { projectId, stepId };
      }),
      ...(form.get('note') ? { note: form.get('note') } : {}),
    });
    const batch = await assembleBatch(ctx, principal, input);
    return t(
      `已组成送往${batch.departmentName}的一批（${batch.items.length} 项）`,
      `Batch of ${batch.items.length} step(s) for ${batch.departmentName} assembled`,
    );
  });

  batchForm('/app/batches/:id/carried', async ({ c, principal, form, t }) => {
    const at = instantOf(form.get('carriedAt'));
    const input = CarriedInputSchema.parse(at ? { carriedAt: at } : {});
    const batch = await carryBatch(ctx, principal, BatchId.parse(c.req.param('id')), input);
    return t(
      `已记录送件：${batch.departmentName}受理 ${batch.items.length} 项，开始计时`,
      `Carried: ${batch.departmentName} accepted ${batch.items.length} step(s); their clocks run`,
    );
  });

  batchForm('/app/batches/:id/collection', async ({ c, principal, form, t }) => {
    const at = instantOf(form.get('collectedAt'));
    const input = CollectionInputSchema.parse({
      ...(at ? { collectedAt: at } : {}),
      decisions: form.all('itemId').map((itemId) => ({
        itemId,
        outcome: 'approved',
        document: { number: form.get(`number-${itemId}`), date: form.get(`date-${itemId}`) },
      })),
    });
    const batch = await collectBatch(ctx, principal, BatchId.parse(c.req.param('id')), input);
    return t(
      `已领件：${batch.items.length} 项批文已登记`,
      `Collected: ${batch.items.length} approval(s) recorded`,
    );
  });
}

function prefillOf(batchId: string, form: Form): Prefill {
  const values: Record<string, string> = {
    carriedAt: form.get('carriedAt'),
    collectedAt: form.get('collectedAt'),
  };
  for (const itemId of form.all('itemId')) {
    values[`number-${itemId}`] = form.get(`number-${itemId}`);
    values[`date-${itemId}`] = form.get(`date-${itemId}`);
  }
  return { key: batchId, values };
}

/** One batch: its steps, and for its agent the form of its next move. */
function BatchCard(props: {
  ctx: PageContext;
  batch: Batch;
  mayRecord: boolean;
  today: string;
  prefill: Record<string, string> | undefined;
}) {
  const { ctx, batch, today } = props;
  const { t } = ctx;
  const v = props.prefill ?? {};
  const status = STATUS[batch.status];
  const label = `${batch.departmentName} · ${localDate(batch.createdAt)}`;
  return (
    <section class="card" aria-labelledby={`bh-${batch.batchId}`} data-batch={batch.status}>
      <h3 id={`bh-${batch.batchId}`}>
        {label} · {t(status[0], status[1])}
      </h3>
      {batch.note ? <p class="muted">{batch.note}</p> : null}
      <Table
        label={label}
        heads={['#', t('项目', 'Project'), t('事项', 'Step'), t('批文文号', 'Approval number')]}
      >
        {batch.items.map((item) => (
          <tr>
            <td>{item.itemId}</td>
            <ProjectCell project={item} />
            <td>
              {item.stepId} {item.stepName}
            </td>
            <td>{item.documentNumber ?? '—'}</td>
          </tr>
        ))}
      </Table>
      {batch.carriedAt ? (
        <p class="muted">
          {t('送件受理：', 'Accepted upstairs: ')}
          {localDateTime(batch.carriedAt)}
          {batch.collectedAt
            ? t(
                `；领件：${localDateTime(batch.collectedAt)}`,
                `; collected: ${localDateTime(batch.collectedAt)}`,
              )
            : ''}
        </p>
      ) : null}
      {props.mayRecord && batch.status === 'assembling' ? (
        <form method="post" action={`/app/batches/${batch.batchId}/carried`} data-carry={batch.batchId}>
          <label for={`carried-${batch.batchId}`}>
            {t('送件受理时间（北京时间，留空为现在）', 'Accepted at (Beijing time; empty: now)')}
          </label>
          <input
            type="datetime-local"
            id={`carried-${batch.batchId}`}
            name="carriedAt"
            value={v.carriedAt ?? ''}
          />
          <button type="submit">{t('记录已送件', 'Record the batch as carried')}</button>
        </form>
      ) : null}
      {props.mayRecord && batch.status === 'carried' ? (
        <details open={props.prefill !== undefined}>
          <summary>
            {t('登记领件（批文文号与日期）', 'Record the collection (approval numbers and dates)')}
          </summary>
          <form
            method="post"
            action={`/app/batches/${batch.batchId}/collection`}
            data-collect={batch.batchId}
          >
            {batch.items.map((item) => (
              <fieldset>
                <legend>
                  {item.itemId}. {item.projectName} · {item.stepId} {item.stepName}
                </legend>
                <input type="hidden" name="itemId" value={item.itemId} />
                <label for={`no-${batch.batchId}-${item.itemId}`}>{t('批文文号', 'Approval number')}</label>
                <input
                  type="text"
                  id={`no-${batch.batchId}-${item.itemId}`}
                  name={`number-${item.itemId}`}
                  value={v[`number-${item.itemId}`] ?? ''}
                  placeholder="宁环建〔2026〕118号"
                />
                <label for={`date-${batch.batchId}-${item.itemId}`}>{t('批文日期', 'Date')}</label>
                <input
                  type="date"
                  id={`date-${batch.batchId}-${item.itemId}`}
                  name={`date-${item.itemId}`}
                  value={v[`date-${item.itemId}`] ?? today}
                />
              </fieldset>
            ))}
            <label for={`collected-${batch.batchId}`}>
              {t('领件时间（北京时间，留空为现在）', 'Collected at (Beijing time; empty: now)')}
            </label>
            <input
              type="datetime-local"
              id={`collected-${batch.batchId}`}
              name="collectedAt"
              value={v.collectedAt ?? ''}
            />
            <button type="submit">{t('登记领件', 'Record the collection')}</button>
          </form>
        </details>
      ) : null}
    </section>
  );
}
