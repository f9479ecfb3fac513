import { allowedOn, assertAllowed } from '../domain/access-policy.js';
import { findPart, findStep } from '../domain/chain-graph.js';
import {
  acknowledgeComplaint,
  COMPLAINT_CATEGORY_NAMES,
  type Complaint,
  type ComplaintClosure,
  type ComplaintInput,
  closeComplaint as closeRule,
  complaintAsSeenBy,
  fileComplaint as fileRule,
  investigateComplaint,
} from '../domain/complaint.js';
import { type ComplaintSlaAction, complaintCheckAt, complaintSlaStep } from '../domain/complaint-sla.js';
import type { StatAddition } from '../domain/counted-against.js';
import { counterWrites } from '../domain/effects/counter-writes.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { type Principal, SYSTEM_ACTOR } from '../domain/principal.js';
import { missingYears } from '../domain/sla.js';
import { COMPLAINT_RUNG_NAMES } from '../domain/sla-policy.js';
import { chinaDate } from '../domain/working-days.js';
import type { Page, PageRequest, StoreOp } from '../store/store.port.js';
import { outboxEntry, retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';
import { alertMissingYears } from './missing-years.js';
import { type Audience, type Concern, notificationEffects } from './notify.js';
import { relay } from './relay.js';

/**
 * 行政效能投诉, the use cases: an investor or agent files a complaint about a department's conduct on a step of a
 * project they may see; the efficiency office acknowledges, investigates and closes it; the scheduled job's sweep
 * lights and escalates it as its time limit passes. Each write is one transaction: the complaint (conditional on
 * the version read), its counters, and the notifications it causes; nothing of it goes on the project's timeline,
 * which the department reads, so the department never learns who complained.
 */

async function write(
  ctx: AppContext,
  complaint: Complaint,
  concerns: Concern[],
  stats: StatAddition[],
  more: StoreOp[] = [],
): Promise<void> {
  const now = ctx.clock.now();
  const effects = await notificationEffects(ctx, concerns, now);
  // The channels' sends (bus, robots, alerts) go through an outbox entry of the complaint's own, like a project's.
  const entry =
    effects.sends.length > 0
      ? outboxEntry(ctx, `complaint-${complaint.complaintId}`, now, effects.sends)
      : undefined;
  await ctx.store.commit([
    ...more,
    { op: 'put_complaint', complaint },
    ...effects.ops,
    ...counterWrites(stats, now),
    ...(entry ? [{ op: 'put_outbox', entry } as const] : []),
  ]);
  if (entry) await relay(ctx, entry);
}

const where = (c: Complaint) => `项目 ${c.projectCode}「${c.projectName}」第 ${c.stepId} 项 ${c.stepName}`;

/** An investor (their enterprise's project) or an agent (their project) complains about a department's conduct. */
export async function fileComplaint(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  input: ComplaintInput,
): Promise<Complaint> {
  return retryOnConflict(async () => {
    const state = await loadState(ctx, projectId);
    assertAllowed(principal, 'complaint.file', { project: state.project, chain: state.chain });
    const found = findStep(state.chain, stepId);
    const item = state.items.get(stepId);
    if (!found || !item) throw new NotFoundError('STEP.NOT_FOUND', `this project has no step '${stepId}'`);
    const part = input.partId ? findPart(found.step, input.partId) : undefined;
    if (input.partId && !part) {
      throw new NotFoundError('STEP.PART_NOT_FOUND', `step ${stepId} has no part '${input.partId}'`);
    }
    const departmentId = part?.departmentId ?? found.step.departmentId;
    if (!departmentId) {
      throw new InvalidInputError(
        'COMPLAINT.NO_DEPARTMENT',
        `step ${stepId} is a milestone the agent reports; no department handles it, so there is no conduct to complain about`,
      );
    }
    if (item.status === 'pending') {
      throw new ConflictError(
        'COMPLAINT.STEP_NOT_OPENED',
        `step ${stepId} has not opened yet: no department has handled it; complain once it has`,
      );
    }
    const now = ctx.clock.now();
    const year = chinaDate(now).slice(0, 4);
    const sequence = `complaint#${year}`;
    const previous = await ctx.store.readSerial(sequence);
    const serial = (previous ?? 0) + 1;
    const filed = fileRule({
      complaintId: ctx.newId(),
      number: `效能投诉〔${year}〕第${String(serial).padStart(4, '0')}号`,
      about: {
        projectId,
        projectCode: state.project.code,
        projectName: state.project.name,
        enterpriseId: state.project.enterpriseId,
        stepId,
        ...(part ? { partId: part.id } : {}),
        stepName: `${found.step.name}${part ? `（${part.name}）` : ''}`,
        departmentId,
      },
      input,
      complainant: principal,
      now,
      calendar: ctx.calendar,
      policy: ctx.settings.sla.complaints,
    });
    const checkAt = complaintCheckAt(ctx.calendar, filed, ctx.settings.sla);
    const complaint: Complaint = { ...filed, ...(checkAt ? { slaCheckAt: checkAt } : {}) };
    const category = COMPLAINT_CATEGORY_NAMES[complaint.category];
    await write(
      ctx,
      complaint,
      [
        {
          kind: 'complaint',
          title: `效能投诉：${complaint.number}（${category}）`,
          message: `${where(complaint)}（${departmentId}）收到效能投诉，请于 ${complaint.dueDate} 前办结。`,
          audiences: [{ role: 'efficiency' }],
        },
        {
          // the department hears what is complained of, never by whom
          kind: 'complaint',
          title: `效能投诉：${complaint.stepName}（${category}）`,
          message: `${where(complaint)}收到一件效能投诉，效能办将调查核实。`,
          audiences: [{ departmentId }],
        },
      ],
      [{ dimension: 'department', id: departmentId, add: { complaints: 1 } }],
      [{ op: 'take_serial', sequence, expected: previous, next: serial }],
    );
    // its due date counted through a year without a schedule: held on the guess, and the admins told once a year
    if (complaint.dueFlagged)
      await alertMissingYears(ctx, missingYears(ctx.calendar, chinaDate(now), complaint.dueDate), now);
    return complaint;
  });
}

async function handle(
  ctx: AppContext,
  principal: Principal,
  complaintId: string,
  move: (complaint: Complaint, now: Date) => Complaint,
  tell: (complaint: Complaint) => { concerns: Concern[]; stats: StatAddition[] },
): Promise<Complaint> {
  return retryOnConflict(async () => {
    const complaint = allowedOn(
      principal,
      'complaint.handle',
      'complaint',
      await ctx.store.getComplaint(complaintId),
    );
    const moved = move(complaint, ctx.clock.now());
    const { concerns, stats } = tell(moved);
    await write(ctx, moved, concerns, stats);
    return moved;
  });
}

const toComplainant = (c: Complaint, title: string, message: string): Concern => ({
  kind: 'complaint',
  title,
  message,
  audiences: [{ userId: c.complainant.userId }],
});

/** 受理: the efficiency office takes the complaint on; the complainant hears of it. */
export function acknowledge(ctx: AppContext, principal: Principal, complaintId: string, note?: string) {
  return handle(
    ctx,
    principal,
    complaintId,
    (c, now) => acknowledgeComplaint(c, principal, now, note),
    (c) => ({
      concerns: [toComplainant(c, `投诉已受理：${c.number}`, `您的投诉已受理，将于 ${c.dueDate} 前办结。`)],
      stats: [],
    }),
  );
}

/** 调查核实: the efficiency office looks into it. */
export function investigate(ctx: AppContext, principal: Principal, complaintId: string, note?: string) {
  return handle(
    ctx,
    principal,
    complaintId,
    (c, now) => investigateComplaint(c, principal, now, note),
    (c) => ({
      concerns: [toComplainant(c, `投诉调查中：${c.number}`, '效能办正在调查核实您反映的问题。')],
      stats: [],
    }),
  );
}

/** 办结: a finding and the action taken; counted against the department, on time or late. */
export function close(ctx: AppContext, principal: Principal, complaintId: string, closure: ComplaintClosure) {
  return handle(
    ctx,
    principal,
    complaintId,
    (c, now) => closeRule(c, principal, now, closure, ctx.calendar),
    (c) => {
      const finding = c.finding === 'upheld' ? '投诉属实' : '投诉不属实';
      return {
        concerns: [
          toComplainant(c, `投诉已办结：${c.number}`, `${finding}。处理结果：${c.actionTaken ?? ''}`),
          {
            kind: 'complaint',
            title: `效能投诉办结：${c.stepName}`,
            message: `${where(c)}的效能投诉已办结：${finding}。处理结果：${c.actionTaken ?? ''}`,
            audiences: [{ departmentId: c.departmentId }],
          },
        ],
        stats: [
          {
            dimension: 'department',
            id: c.departmentId,
            add: {
              complaintsClosed: 1,
              ...(c.closedOnTime ? { complaintsClosedOnTime: 1 } : {}),
              ...(c.finding === 'upheld' ? { complaintsUpheld: 1 } : {}),
            },
          },
        ],
      };
    },
  );
}

/** One complaint as the caller may see it (the department complained about: without the complainant). */
export async function getComplaint(ctx: AppContext, principal: Principal, complaintId: string) {
  const complaint = allowedOn(
    principal,
    'complaint.read',
    'complaint',
    await ctx.store.getComplaint(complaintId),
  );
  return complaintAsSeenBy(principal, complaint);
}

/**
 * The complaints the caller may see, newest first: the efficiency office, leaders and admins all of them (or one
 * department's); an officer those about their department; an investor or agent those they filed.
 */
export async function listComplaints(
  ctx: AppContext,
  principal: Principal,
  filter: { departmentId?: string },
  page: PageRequest,
) {
  const storeFilter =
    principal.role === 'agent' || principal.role === 'investor'
      ? { complainantId: principal.userId }
      : principal.role === 'officer'
        ? { departmentId: principal.departmentId ?? '-' }
        : filter.departmentId
          ? { departmentId: filter.departmentId }
          : {};
  const result: Page<Complaint> = await ctx.store.listComplaints(storeFilter, page);
  const mine =
    principal.role === 'officer' && filter.departmentId && filter.departmentId !== principal.departmentId
      ? []
      : result.items;
  return {
    items: mine.map((c) => complaintAsSeenBy(principal, c)),
    ...(result.cursor && mine.length > 0 ? { cursor: result.cursor } : {}),
  };
}

/**
 * The sweep's work on one complaint come due in the Work index: read it again, act on each checkpoint due (a
 * light, the breach, a rung of the escalation), tell those concerned, count the breach against the department
 * complained about, and set when to look again: one transaction. A second sweep at the same instant does nothing.
 */
export async function sweepComplaint(
  ctx: AppContext,
  complaintId: string,
  now: Date,
): Promise<ComplaintSlaAction[]> {
  return retryOnConflict(async () => {
    const complaint = await ctx.store.getComplaint(complaintId);
    if (!complaint) return [];
    const step = complaintSlaStep(ctx.calendar, complaint, ctx.settings.sla, now);
    if (!step) return [];
    const at = now.toISOString();
    const swept: Complaint = {
      ...step.complaint,
      record: [
        ...step.complaint.record,
        ...step.actions.map((a) => ({
          at,
          status: complaint.status,
          by: { ...SYSTEM_ACTOR },
          note:
            a.kind === 'yellow'
              ? `黄灯预警：将于 ${complaint.dueDate} 到期`
              : a.kind === 'red'
                ? `红灯：已超过办结时限（${complaint.dueDate}）`
                : `督办升级至${COMPLAINT_RUNG_NAMES[a.rung]}（超期 ${a.afterOverdueDays} 个工作日以上）`,
        })),
      ],
    };
    const concerns = step.actions.map((a) => sweepConcern(complaint, a));
    const stats: StatAddition[] = step.actions.some((a) => a.kind === 'red')
      ? [{ dimension: 'department', id: complaint.departmentId, add: { complaintsOverdue: 1 } }]
      : [];
    await write(ctx, swept, concerns, stats);
    return step.actions;
  });
}

/** What those concerned hear of a checkpoint the sweep acted on. */
function sweepConcern(complaint: Complaint, a: ComplaintSlaAction): Concern {
  const efficiency: Audience = { role: 'efficiency' };
  switch (a.kind) {
    case 'yellow':
      return {
        kind: 'complaint',
        title: `效能投诉黄灯：${complaint.number}`,
        message: `${where(complaint)}的效能投诉将于 ${complaint.dueDate} 到期，请抓紧办结。`,
        audiences: [efficiency],
      };
    case 'red':
      return {
        kind: 'breach',
        title: `效能投诉超期：${complaint.number}`,
        message: `${where(complaint)}的效能投诉已超过办结时限（${complaint.dueDate}），尚未办结。`,
        audiences: [efficiency],
      };
    case 'escalate':
      return {
        kind: 'escalation',
        title: `效能投诉督办升级至${COMPLAINT_RUNG_NAMES[a.rung]}：${complaint.number}`,
        message: `${where(complaint)}的效能投诉超期 ${a.afterOverdueDays} 个工作日以上未办结，提交${COMPLAINT_RUNG_NAMES[a.rung]}督办。`,
        rung: a.rung,
        audiences: a.rung === 'leader' ? [{ role: 'leader' }, efficiency] : [efficiency],
        alert: a.rung === 'leader',
      };
  }
}
