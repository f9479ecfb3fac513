import { findPart, findStep } from './chain-graph.js';
import type { Decision, NoticeMaterial } from './decision.js';
import { DOCUMENT_TITLES, type ProjectDocument } from './documents.js';
import type { Project } from './project.js';
import type { EventDraft, ProjectState, Transition } from './transition.js';
import { chinaDate } from './working-days.js';

/**
 * One-time notice (一次性告知, DOMAIN.md "Rules the system enforces"): a request for materials reaches the agent as
 * one numbered 一次性告知书 listing every missing material, with the department that asks for each, and an item in
 * the agent's inbox. A supplement asked by one part of a joint review reaches the agent only with the review's
 * merged notice, once every part has answered.
 */

/** The rule the 一次性告知书 applies (行政许可法 第三十二条). */
export const ONE_TIME_NOTICE_RULE =
  '一次性告知：申请材料不齐全或者不符合法定形式的，应当一次性告知申请人需要补正的全部内容；' +
  '补正期间审批时限暂停计算，申请人补齐后恢复计算。联合审查的各部门意见合并为一份告知书。';

/** The sequence the year's notices are numbered from. */
export const noticeSequence = (year: string): string => `supplement-notice#${year}`;

/** The numbers of the notices one transaction issues: the year's last number as read, and how many it takes. */
export type NoticeSerials = { year: string; previous: number | undefined; taken: number };

/** What the agent's inbox receives for a notice (the application's notification effects deliver it). */
export type AgentNotice = {
  kind: 'supplement';
  title: string;
  message: string;
  project: Pick<Project, 'projectId' | 'code'>;
  stepId: string;
  audiences: { userId: string }[];
};

/** The events that put a request for materials before the agent: a step's own, or a joint review's merged one. */
export const noticeEvents = (transition: Transition): EventDraft[] =>
  transition.events.filter(
    (e) => (e.type === 'supplement_requested' && !e.partId) || e.type === 'joint_supplement_notice',
  );

/**
 * Whether a decision may issue a notice, known before the project is read (so its number is read with the
 * project): a supplement request, or any decision on a part of a joint review (the last part to answer issues
 * the merged notice when others asked for materials).
 */
export const mayIssueNotice = (target: { partId?: string }, decision: Pick<Decision, 'outcome'>): boolean =>
  decision.outcome === 'supplement' || target.partId !== undefined;

/**
 * The 一次性告知书 a transition issues, numbered on from `serials` (补正告知〔year〕第NNNN号), and the agent's notices;
 * `taken` is how many numbers the serials have given out after them. `departmentNames` names the departments
 * asking (an id not known is shown as it is).
 */
export function supplementNotices(
  state: ProjectState,
  transition: Transition,
  serials: NoticeSerials,
  departmentNames: ReadonlyMap<string, string>,
  now: Date,
  newId: () => string,
): { documents: ProjectDocument[]; notices: AgentNotice[]; taken: number } {
  const { project } = state;
  const documents: ProjectDocument[] = [];
  const notices: AgentNotice[] = [];
  let taken = serials.taken;
  for (const event of noticeEvents(transition)) {
    const stepId = event.stepId ?? '';
    const found = findStep(state.chain, stepId);
    const stepName = found?.step.name ?? stepId;
    const item = state.items.get(stepId);
    const materials = (event.data?.missingMaterials ?? []) as NoticeMaterial[];
    const departmentOf = (m: NoticeMaterial) => {
      const id = m.departmentId ?? item?.departmentId ?? '';
      const part = found && m.partId ? findPart(found.step, m.partId) : undefined;
      return `${departmentNames.get(id) ?? id}${part ? `（${part.name}）` : ''}`;
    };
    taken += 1;
    const serial = (serials.previous ?? 0) + taken;
    const number = `补正告知〔${serials.year}〕第${String(serial).padStart(4, '0')}号`;
    documents.push({
      projectId: project.projectId,
      docId: newId(),
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
    notices.push({
      kind: 'supplement',
      title: `一次性告知：${project.code} ${stepName}`,
      message: `${number}，请一次补齐：${materials.map((m) => `${m.name}（${m.reason}）`).join('；')}`,
      project,
      stepId,
      audiences: [{ userId: project.agentId }],
    });
  }
  return { documents, notices, taken };
}
