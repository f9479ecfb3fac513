import { findPart, findStep } from './chain-graph.js';
import { type Audience, audiencesOf, isUpperRung, type TellingAction } from './escalation-audiences.js';
import type { Notification } from './notifications.js';
import type { Project } from './project.js';
import { RUNG_NAMES } from './sla-policy.js';
import type { ProjectState } from './transition.js';

/** A piece of news for the people concerned (the shape the notifier writes into inboxes and sends on). */
export type News = {
  kind: Notification['kind'];
  title: string;
  message: string;
  project?: Pick<Project, 'projectId' | 'code'>;
  stepId?: string;
  partId?: string;
  /** the department whose group robot hears of it */
  departmentId?: string;
  rung?: string;
  audiences: Audience[];
  /** also alert people outside the system (SNS on AWS): the upper rungs and deemed approvals */
  alert?: boolean;
};

/** How long a step has been overdue, in words: the real count of working days, never "0 个工作日以上". */
export function overdueText(overdueDays: number): string {
  return overdueDays > 0 ? `已超期 ${overdueDays} 个工作日` : '已超期';
}

/** A step's name as notices print it, with its part's (e.g. 环评审批（规划部分）). */
export function targetName(state: ProjectState, target: { stepId: string; partId?: string }): string {
  const found = findStep(state.chain, target.stepId);
  const part = found && target.partId ? findPart(found.step, target.partId) : undefined;
  return `${found?.step.name ?? target.stepId}${part ? `（${part.name}）` : ''}`;
}

/**
 * What the sweep tells about one thing it did to an item (a light, the breach, a rung of the ladder, 超时默认, a
 * 容缺 deadline missed, a verification overdue): title, message and whom (see `escalation-audiences.ts`).
 */
export function slaNews(
  state: ProjectState,
  target: { stepId: string; partId?: string },
  action: TellingAction,
): News {
  const item = state.items.get(target.partId ? `${target.stepId}#${target.partId}` : target.stepId);
  const departmentId = item?.departmentId ?? undefined;
  const name = targetName(state, target);
  const where = `项目 ${state.project.code}「${state.project.name}」第 ${target.stepId} 项 ${name}`;
  const audiences = audiencesOf(action, {
    ...(departmentId ? { departmentId } : {}),
    ...(leadOf(state, target.stepId) ? { leadDepartmentId: leadOf(state, target.stepId) } : {}),
    agentId: state.project.agentId,
  });
  const base = {
    project: state.project,
    stepId: target.stepId,
    ...(target.partId ? { partId: target.partId } : {}),
    ...(departmentId ? { departmentId } : {}),
    audiences,
  };
  switch (action.kind) {
    case 'yellow':
      return {
        ...base,
        kind: 'light_yellow',
        title: `黄灯预警：${name}`,
        message: `${where}的承诺时限将于 ${item?.dueDate} 届满，请抓紧办理。`,
      };
    case 'red':
      return {
        ...base,
        kind: 'breach',
        title: `红灯：${name}已超承诺时限`,
        message: `${where}的承诺时限已于 ${action.dueDate} 届满，尚未办结。`,
      };
    case 'escalate':
      return {
        ...base,
        kind: 'escalation',
        title: `督办升级至${RUNG_NAMES[action.rung]}：${name}`,
        message: `${where}${overdueText(action.overdueDays)}，按督办规则提交${RUNG_NAMES[action.rung]}。`,
        rung: action.rung,
        alert: isUpperRung(action.rung),
      };
    case 'deemed':
      return {
        ...base,
        kind: 'deemed_approval',
        title: `超时默认：${name}视为同意`,
        message: `${where}的承诺时限已于 ${action.dueDate} 届满未作决定，依超时默认规则视为同意，并发出超时默认通知单。`,
        alert: true,
      };
    case 'deferral_missed':
      return {
        ...base,
        kind: 'applicant_breach',
        title: `容缺材料逾期未补：${name}`,
        message: `${where}容缺受理时暂缺的材料（${action.materials.join('、')}）应于 ${action.supplyBy} 前补交，现已逾期；该事项在补齐前不能办结，逾期记入申请人信用记录。请尽快补交。`,
      };
    case 'verification_overdue':
      return {
        ...base,
        kind: 'commitment',
        title: `告知承诺核查逾期：${name}`,
        message: `${where}按告知承诺制审批，应于 ${action.verifyBy} 前完成核查，尚未记录核查结果。`,
      };
  }
}

/** The lead department of the stage a step belongs to. */
export const leadOf = (state: ProjectState, stepId: string): string | undefined =>
  findStep(state.chain, stepId)?.stage.leadDepartmentId;
