import { findPart, findStep } from '../domain/chain-graph.js';
import type { StatAddition } from '../domain/counted-against.js';
import { DOCUMENT_TITLES, type ProjectDocument } from '../domain/documents.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import { type SlaAction, slaStep } from '../domain/sla.js';
import { RUNG_NAMES } from '../domain/sla-policy.js';
import { isInFlight } from '../domain/step-status.js';
import { withApprovalRecord } from '../domain/steps/decision.js';
import type { ProjectState } from '../domain/transition.js';
import { chinaDate } from '../domain/working-days.js';
import type { StoreOp } from '../store/store.port.js';
import { applyTransition, retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { loadState } from './load.js';
import { proposeMeeting } from './meeting-proposals.js';
import { type Audience, type Concern, notificationEffects } from './notify.js';
import { levelOf } from './step-actions.js';

/**
 * The SLA sweep's work on one step or part that has come due in the Work index (DESIGN.md decision 4): read the
 * base item again (the index is eventually consistent), act on every checkpoint due (lights, the breach, the
 * escalation ladder, 超时默认 with its notice), tell the people concerned, count it against the department, and set
 * when to look again: one transaction. A second sweep at the same instant finds nothing due and writes nothing.
 */
export async function sweepItem(
  ctx: AppContext,
  work: { projectId: string; itemKey: string },
  now: Date,
): Promise<SlaAction[]> {
  return retryOnConflict(async () => {
    const state = await loadState(ctx, work.projectId);
    // (a completed project's approvals on commitment are still verified: their due date is watched)
    const verifying = state.items.get(work.itemKey)?.commitment?.verifyBy !== undefined;
    if (!isInFlight(state.project.status) && !(state.project.status === 'completed' && verifying)) return [];
    const [stepId = '', partId] = work.itemKey.split('#');
    const target = { stepId, ...(partId ? { partId } : {}) };
    const item = state.items.get(work.itemKey);
    const level = await levelOf(ctx, item);
    const { transition, actions } = slaStep(lifecycleInput(ctx, state, now), target, {
      heldUpstairs: level !== undefined && level !== 'district',
    });
    if (transition.changes.length === 0) return [];
    const departmentId = item?.departmentId ?? undefined;
    const told = actions.filter((a): a is Exclude<SlaAction, { kind: 'held' }> => a.kind !== 'held');
    const concerns = told.map((action) => concernOf(state, target, departmentId, action, item?.dueDate));
    const meetingRung = told.find((a) => a.kind === 'escalate' && a.rung === 'joint_meeting');
    const proposal = meetingRung
      ? await proposeMeeting(ctx, state, target, concerns[told.indexOf(meetingRung)]?.message ?? '', now)
      : { ops: [], concerns: [] };
    const effects = await notificationEffects(ctx, [...concerns, ...proposal.concerns], now);
    const ops: StoreOp[] = [...effects.ops, ...proposal.ops];
    // a deemed approval's document is its 超时默认通知单: the step records the notice's number
    const notice = actions.some((a) => a.kind === 'deemed')
      ? await deemedNotice(ctx, state, target, now)
      : undefined;
    if (notice) ops.push(...notice.ops);
    const written = notice
      ? withApprovalRecord(transition, target, {
          number: notice.number,
          date: chinaDate(now),
          source: 'deemed_notice',
        })
      : transition;
    const stats: StatAddition[] = actions.flatMap((a): StatAddition[] => {
      switch (a.kind) {
        case 'red':
          return departmentId ? [{ dimension: 'department', id: departmentId, add: { breaches: 1 } }] : [];
        case 'escalate':
          return departmentId ? [{ dimension: 'department', id: departmentId, add: { escalations: 1 } }] : [];
        case 'verification_overdue':
          return departmentId
            ? [{ dimension: 'department', id: departmentId, add: { verificationsOverdue: 1 } }]
            : [];
        case 'deferral_missed':
          // the applicant's breach, not the department's: the agent's and the enterprise's record
          return [
            { dimension: 'agent', id: state.project.agentId, add: { deferralsMissed: 1 } },
            { dimension: 'enterprise', id: state.project.enterpriseId, add: { deferralsMissed: 1 } },
          ];
        default:
          return [];
      }
    });
    await applyTransition(ctx, state, written, { actor: SYSTEM_ACTOR, ops, sends: effects.sends, stats });
    await alertMissingYears(ctx, heldYears(actions), now);
    const breaches = actions.filter((a) => a.kind === 'red').length;
    const deemed = actions.filter((a) => a.kind === 'deemed').length;
    if (breaches > 0) ctx.metrics?.add('Breaches', breaches);
    if (deemed > 0) ctx.metrics?.add('DeemedApprovals', deemed);
    return actions;
  });
}

function concernOf(
  state: ProjectState,
  target: { stepId: string; partId?: string },
  departmentId: string | undefined,
  action: Exclude<SlaAction, { kind: 'held' }>,
  dueDate: string | undefined,
): Concern {
  const found = findStep(state.chain, target.stepId);
  const part = found && target.partId ? findPart(found.step, target.partId) : undefined;
  const name = `${found?.step.name ?? target.stepId}${part ? `（${part.name}）` : ''}`;
  const where = `项目 ${state.project.code}「${state.project.name}」第 ${target.stepId} 项 ${name}`;
  const lead = found?.stage.leadDepartmentId;
  const department: Audience[] = departmentId ? [{ departmentId }] : [];
  const agent: Audience = { userId: state.project.agentId };
  const base = {
    project: state.project,
    stepId: target.stepId,
    ...(target.partId ? { partId: target.partId } : {}),
    ...(departmentId ? { departmentId } : {}),
  };
  switch (action.kind) {
    case 'yellow':
      return {
        ...base,
        kind: 'light_yellow',
        title: `黄灯预警：${name}`,
        message: `${where}的承诺时限将于 ${dueDate} 届满，请抓紧办理。`,
        audiences: [...department, agent],
      };
    case 'red':
      return {
        ...base,
        kind: 'breach',
        title: `红灯：${name}已超承诺时限`,
        message: `${where}的承诺时限已于 ${action.dueDate} 届满，尚未办结。`,
        audiences: [...department, agent],
      };
    case 'escalate': {
      const upper =
        action.rung === 'joint_meeting' || action.rung === 'secretary_general' || action.rung === 'mayor';
      const audiences: Audience[] =
        action.rung === 'department'
          ? department
          : action.rung === 'stage_lead'
            ? [...(lead ? [{ departmentId: lead }] : []), ...department]
            : [{ role: 'leader' }, ...(lead ? [{ departmentId: lead }] : []), ...department];
      return {
        ...base,
        kind: 'escalation',
        title: `督办升级至${RUNG_NAMES[action.rung]}：${name}`,
        message: `${where}${overdueText(action.overdueDays)}，按督办规则提交${RUNG_NAMES[action.rung]}。`,
        rung: action.rung,
        audiences: [...audiences, agent],
        alert: upper,
      };
    }
    case 'deemed':
      return {
        ...base,
        kind: 'deemed_approval',
        title: `超时默认：${name}视为同意`,
        message: `${where}的承诺时限已于 ${action.dueDate} 届满未作决定，依超时默认规则视为同意，并发出超时默认通知单。`,
        audiences: [...department, ...(lead ? [{ departmentId: lead }] : []), { role: 'leader' }, agent],
        alert: true,
      };
    case 'deferral_missed':
      return {
        ...base,
        kind: 'applicant_breach',
        title: `容缺材料逾期未补：${name}`,
        message: `${where}容缺受理时暂缺的材料（${action.materials.join('、')}）应于 ${action.supplyBy} 前补交，现已逾期；该事项在补齐前不能办结，逾期记入申请人信用记录。请尽快补交。`,
        audiences: [agent],
      };
    case 'verification_overdue':
      return {
        ...base,
        kind: 'commitment',
        title: `告知承诺核查逾期：${name}`,
        message: `${where}按告知承诺制审批，应于 ${action.verifyBy} 前完成核查，尚未记录核查结果。`,
        audiences: [...department, { role: 'leader' }],
      };
  }
}

/** How long a step has been overdue, in words: the real count of working days, never "0 个工作日以上". */
export function overdueText(overdueDays: number): string {
  return overdueDays > 0 ? `已超期 ${overdueDays} 个工作日` : '已超期';
}

/**
 * Never act on a guess (DOMAIN.md): a deadline that came due on a date counted through a year without a published
 * schedule was held; the admins are told to add that year, once per missing year however many items wait on it (a
 * setting claimed once marks a year as told; the recompute after the admin adds the year re-arms every item).
 */
export async function alertMissingYears(ctx: AppContext, years: readonly number[], now: Date): Promise<void> {
  for (const year of [...new Set(years)].sort()) {
    if (ctx.calendar.knownYears.includes(year)) continue;
    const claimed = await ctx.store.putSetting(
      `calendar-missing-alert#${year}`,
      { year, at: now.toISOString() },
      { expectedRevision: null },
    );
    if (!claimed) continue;
    const effects = await notificationEffects(
      ctx,
      [
        {
          kind: 'calendar',
          title: `请添加 ${year} 年工作日安排（add the ${year} schedule）`,
          message:
            `有期限落在 ${year} 年，而日历尚无国务院公布的 ${year} 年节假日安排：这些日期只是推算（仅按周末计），` +
            `系统不据此视为同意、标记逾期或计入信用记录，相关事项暂缓处理。请在日历中添加 ${year} 年安排（PUT /calendar/years/${year}），` +
            '添加后所有日期自动重算并恢复监控。',
          audiences: [{ role: 'admin' }],
          alert: true,
        },
      ],
      now,
    );
    const notes = effects.ops.filter((op) => op.op === 'put_notification');
    if (notes.length > 0) await ctx.store.commit(notes);
  }
}

/** The years without a schedule the held deadlines were counted through. */
const heldYears = (actions: readonly SlaAction[]): number[] =>
  actions.flatMap((a) => (a.kind === 'held' ? a.years : []));

/** The 超时默认通知单: numbered, stored on the project, readable as JSON and as a printable page. */
async function deemedNotice(
  ctx: AppContext,
  state: ProjectState,
  target: { stepId: string; partId?: string },
  now: Date,
): Promise<{ ops: StoreOp[]; number: string }> {
  const item = state.items.get(target.partId ? `${target.stepId}#${target.partId}` : target.stepId);
  const found = findStep(state.chain, target.stepId);
  const part = found && target.partId ? findPart(found.step, target.partId) : undefined;
  const department = item?.departmentId ? await ctx.store.getDepartment(item.departmentId) : undefined;
  const year = chinaDate(now).slice(0, 4);
  const sequence = `deemed-notice#${year}`;
  const previous = await ctx.store.readSerial(sequence);
  const serial = (previous ?? 0) + 1;
  const document: ProjectDocument = {
    projectId: state.project.projectId,
    docId: ctx.newId(),
    kind: 'deemed_approval_notice',
    number: `超时默认〔${year}〕第${String(serial).padStart(4, '0')}号`,
    title: DOCUMENT_TITLES.deemed_approval_notice,
    issuedAt: now.toISOString(),
    stepId: target.stepId,
    ...(target.partId ? { partId: target.partId } : {}),
    ...(item?.departmentId ? { departmentId: item.departmentId } : {}),
    fields: {
      projectCode: state.project.code,
      projectName: state.project.name,
      enterpriseName: state.project.enterpriseName,
      stepName: `${found?.step.name ?? target.stepId}${part ? `（${part.name}）` : ''}`,
      departmentName: department?.name ?? item?.departmentId ?? null,
      submittedAt: item?.submittedAt ?? null,
      acceptedOn: item?.clock?.acceptedOn ?? null,
      promisedDays: item?.clock?.promisedDays ?? null,
      dueDate: item?.dueDate ?? null,
      noticeDate: chinaDate(now),
      rule: '超时默认：审批部门在承诺时限内未作出决定，且未依法办理延期或中止手续的，视为同意，系统于时限届满后的下一个工作日出具本通知单，后续环节不得以缺少该前置审批为由拒绝受理。',
      consequence: '本事项按审批通过处理，申请人可凭本通知单办理后续手续；该超时情形记入部门效能考核。',
    },
  };
  return {
    ops: [
      { op: 'take_serial', sequence, expected: previous, next: serial },
      { op: 'put_document', document },
    ],
    number: document.number,
  };
}
