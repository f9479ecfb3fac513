import { findPart, findStep } from '../domain/chain-graph.js';
import type { NoticeMaterial } from '../domain/decision.js';
import { DOCUMENT_TITLES, type ProjectDocument } from '../domain/documents.js';
import type { EventDraft, ProjectState, Transition } from '../domain/transition.js';
import { chinaDate } from '../domain/working-days.js';
import type { OutboxSend, StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { type Concern, notificationEffects } from './notify.js';

/** The rule the 一次性告知书 applies (行政许可法 第三十二条). */
const ONE_TIME_NOTICE_RULE =
  '一次性告知：申请材料不齐全或者不符合法定形式的，应当一次性告知申请人需要补正的全部内容；' +
  '补正期间审批时限暂停计算，申请人补齐后恢复计算。联合审查的各部门意见合并为一份告知书。';

/** The events that put a request for materials before the agent: a step's own, or a joint review's merged one. */
const noticeEvents = (transition: Transition): EventDraft[] =>
  transition.events.filter(
    (e) => (e.type === 'supplement_requested' && !e.partId) || e.type === 'joint_supplement_notice',
  );

/** The numbers of the notices one transaction issues, taken from the year's sequence in that transaction. */
export type NoticeNumbering = { year: string; sequence: string; previous: number | undefined; taken: number };

export async function noticeNumbering(ctx: AppContext, now: Date): Promise<NoticeNumbering> {
  const year = chinaDate(now).slice(0, 4);
  const sequence = `supplement-notice#${year}`;
  return { year, sequence, previous: await ctx.store.readSerial(sequence), taken: 0 };
}

/** The write that takes the numbers used (none when no notice was issued). */
export const numberingOps = (n: NoticeNumbering): StoreOp[] =>
  n.taken === 0
    ? []
    : [{ op: 'take_serial', sequence: n.sequence, expected: n.previous, next: (n.previous ?? 0) + n.taken }];

/**
 * What the agent gets when a decision needs them: the 一次性告知书 (numbered, stored on the project, readable as
 * JSON and as a printable page) and an item in their inbox. A supplement asked by one part of a joint review
 * reaches the agent only with the review's merged notice, once every part has answered. The writes join the
 * decision's own transaction, so the notice exists exactly when the request does.
 */
export async function agentNotices(
  ctx: AppContext,
  state: ProjectState,
  transition: Transition,
  now: Date,
  /** numbers shared with other notices of the same transaction (the caller then writes `numberingOps`) */
  shared?: NoticeNumbering,
): Promise<{ ops: StoreOp[]; sends: OutboxSend[] }> {
  const events = noticeEvents(transition);
  if (events.length === 0) return { ops: [], sends: [] };
  const { project } = state;
  const numbering = shared ?? (await noticeNumbering(ctx, now));
  const departments = new Map((await ctx.store.listDepartments()).map((d) => [d.id, d.name]));
  const documents: ProjectDocument[] = [];
  const concerns: Concern[] = [];
  for (const event of events) {
    const stepId = event.stepId ?? '';
    const found = findStep(state.chain, stepId);
    const stepName = found?.step.name ?? stepId;
    const item = state.items.get(stepId);
    const materials = (event.data?.missingMaterials ?? []) as NoticeMaterial[];
    const departmentOf = (m: NoticeMaterial) => {
      const id = m.departmentId ?? item?.departmentId ?? '';
      const part = found && m.partId ? findPart(found.step, m.partId) : undefined;
      return `${departments.get(id) ?? id}${part ? `（${part.name}）` : ''}`;
    };
    numbering.taken += 1;
    const serial = (numbering.previous ?? 0) + numbering.taken;
    const number = `补正告知〔${numbering.year}〕第${String(serial).padStart(4, '0')}号`;
    documents.push({
      projectId: project.projectId,
      docId: ctx.newId(),
      kind: 'supplement_notice',
      number,
      title: DOCUMENT_TITLES.supplement_notice,
      issuedAt: now.toISOString(),
      stepId,
      ...(item?.departmentId ? { departmentId: item.departmentId } : {}),
      fields: {
        projectCode: project.code,
        projectName: project.name,
        enterpriseName: project.enterpriseName,
        stepName,
        materials: materials.map((m, i) => ({
          no: i + 1,
          name: m.name,
          reason: m.reason,
          department: departmentOf(m),
        })),
        noticeDate: chinaDate(now),
        rule: ONE_TIME_NOTICE_RULE,
        resubmission: `补齐上列全部材料后，由代办员在代办工作台对第 ${stepId} 项「${stepName}」一次提交补正；补正期间审批时限暂停计算，提交后恢复计算。`,
      },
    });
    concerns.push({
      kind: 'supplement',
      title: `一次性告知：${project.code} ${stepName}`,
      message: `${number}，请一次补齐：${materials.map((m) => `${m.name}（${m.reason}）`).join('；')}`,
      project,
      stepId,
      audiences: [{ userId: project.agentId }],
    });
  }
  const effects = await notificationEffects(ctx, concerns, now);
  return {
    ops: [
      ...(shared ? [] : numberingOps(numbering)),
      ...documents.map((document): StoreOp => ({ op: 'put_document', document })),
      ...effects.ops,
    ],
    sends: effects.sends,
  };
}
