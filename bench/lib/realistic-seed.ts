import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { demoEnterprises } from '../../infra/local/seed-reference.js';
import type { LocalSystem } from '../../infra/local/system.js';
import type { Meeting } from '../../shared/domain/meeting.js';
import type { Notification } from '../../shared/domain/notifications.js';
import type { ProjectEvent, ProjectStep } from '../../shared/domain/project.js';
import { STAT_COUNTERS, type StatCounters } from '../../shared/domain/stats.js';
import { workSummaryOf } from '../../shared/domain/work-summary.js';
import type { StoreOp } from '../../shared/store/store.port.js';
import { toTransactItems } from '../../shared/store/transact-items.js';
import { inParallel, progressBar } from './progress.js';
import { projectOps, SCALE_NOW } from './scale-seed.js';

/**
 * Projects that carry what projects carry, at any number: what the lists at 10,000 must read is what 10,000
 * projects leave behind, not two items each. Every project has its events (created, its filing submitted and
 * decided, its EIA submitted) and the workbench's summary; a realistic share has more:
 * - 1 in 5 had a supplement request (补正) answered: two more events, a notification to the agent and one to the
 *   enterprise's user;
 * - 1 in 10 had its light turn yellow: an event, a notification to the agent and one to the department's officer;
 * - 1 in 20 is on the agenda of a joint review meeting (5 projects a meeting), each meeting notified to the
 *   department's officer and the agent;
 * - the month's counters of every department and agent add up what those projects did.
 * Projects changed at different times over the last eight weeks (so the weekly report reads the share changed since
 * its week began, as it would). Every item is made by the store's own encoders from the operations the product
 * writes (`toTransactItems`), then written with BatchWriteItem, many at once: no transaction, no condition.
 */
export const SHARES = { supplement: 5, light: 10, meeting: 20, agendaPerMeeting: 5 } as const;

const AGENT = 'agent-wang';
const OFFICER = 'officer-env';
const INVESTOR = 'investor-jinling';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Item = Record<string, unknown>;

const actor = (userId: string, role: string, name: string) => ({ userId, role, name });
const AGENT_ACTOR = actor(AGENT, 'agent', '王代办');
const OFFICER_ACTOR = actor(OFFICER, 'officer', '环境局审批员');
const SYSTEM_ACTOR = actor('system', 'system', '系统');

/** The operations of project `index` as the product would have written them over its life so far. */
export function realisticProjectOps(
  system: LocalSystem,
  index: number,
): { ops: StoreOp[]; step: ProjectStep; projectId: string; code: string; name: string } {
  const base = projectOps(system, index, false);
  const created = base[0];
  const put = base[1];
  if (created?.op !== 'create_project' || put?.op !== 'put_item') throw new Error('unexpected seed ops');
  const supplemented = index % SHARES.supplement === 0;
  const lit = index % SHARES.light === 3;
  // the project last changed 0–55 days ago, its life a fortnight before that
  const changed = SCALE_NOW.getTime() - (index % 56) * DAY - HOUR;
  const at = (hoursBefore: number) => new Date(changed - hoursBefore * HOUR).toISOString();
  const project = {
    ...created.project,
    updatedAt: new Date(changed).toISOString(),
    supplements: supplemented ? 1 : 0,
    workSeq: 1,
  };
  const step: ProjectStep = supplemented
    ? { ...put.item, round: 2, supplementRounds: 1, version: 5 }
    : put.item;
  const { projectId, code } = project;
  const ops: StoreOp[] = [
    { op: 'create_project', project },
    { op: 'put_item', item: step },
    { op: 'claim_code', code, projectId },
  ];
  const event = (hoursBefore: number, type: string, who = AGENT_ACTOR, more: Partial<ProjectEvent> = {}) =>
    ops.push({
      op: 'put_event',
      event: {
        projectId,
        eventId: ulid(changed - hoursBefore * HOUR),
        at: at(hoursBefore),
        type,
        actor: who,
        ...more,
      },
    });
  event(340, 'project_created', AGENT_ACTOR, { data: { chainId: project.chainId } });
  event(339, 'project_code_assigned', SYSTEM_ACTOR, { data: { code } });
  event(330, 'step_submitted', AGENT_ACTOR, { stepId: '1' });
  event(300, 'step_decided', actor('officer-drc', 'officer', '发改委审批员'), {
    stepId: '1',
    data: { outcome: 'approved' },
  });
  event(200, 'step_submitted', AGENT_ACTOR, { stepId: '7' });
  const notify = (
    userId: string,
    hoursBefore: number,
    note: Omit<Notification, 'userId' | 'notificationId' | 'at' | 'read'>,
  ) =>
    ops.push({
      op: 'put_notification',
      notification: {
        userId,
        notificationId: ulid(changed - hoursBefore * HOUR),
        at: at(hoursBefore),
        read: hoursBefore > 48,
        ...note,
      },
    });
  if (supplemented) {
    event(120, 'supplement_requested', OFFICER_ACTOR, {
      stepId: '7',
      data: { missingMaterials: [{ name: '环境影响报告书（修改稿）', reason: '缺少噪声专章' }] },
    });
    event(24, 'step_resubmitted', AGENT_ACTOR, {
      stepId: '7',
      data: { supplied: ['环境影响报告书（修改稿）'] },
    });
    for (const userId of [AGENT, INVESTOR]) {
      notify(userId, 120, {
        kind: 'supplement',
        title: `补正告知：${project.name}`,
        message: '环境影响评价审批 需要补正：环境影响报告书（修改稿）（缺少噪声专章）',
        projectId,
        projectCode: code,
        stepId: '7',
      });
    }
  }
  if (lit) {
    event(2, 'sla_light_changed', SYSTEM_ACTOR, { stepId: '7', data: { from: 'green', to: 'yellow' } });
    for (const userId of [AGENT, OFFICER]) {
      notify(userId, 2, {
        kind: 'light_yellow',
        title: `黄灯：${project.name} 环境影响评价审批`,
        message: '承诺时限将至，请尽快办理',
        projectId,
        projectCode: code,
        stepId: '7',
      });
    }
  }
  return { ops, step, projectId, code, name: project.name };
}

/** A scheduled meeting with these projects' EIA steps on its agenda, and its invitations. */
function meetingOps(
  serial: number,
  agenda: ReadonlyArray<{ projectId: string; code: string; name: string }>,
): StoreOp[] {
  const createdAt = new Date(SCALE_NOW.getTime() - (serial % 56) * DAY - 2 * HOUR).toISOString();
  const meetingId = ulid(Date.parse(createdAt));
  const scheduledAt = new Date(Date.parse(createdAt) + 3 * DAY).toISOString();
  const meeting: Meeting = {
    meetingId,
    version: 1,
    status: 'scheduled',
    title: `第 ${serial + 1} 次 环评联合审查会`,
    convenedBy: { userId: 'leader-zhang', name: '张区长', role: 'leader' },
    scheduledAt,
    place: '区政务服务中心三楼联审会议室',
    agenda: agenda.map((p, i) => ({
      itemId: String(i + 1),
      projectId: p.projectId,
      projectCode: p.code,
      projectName: p.name,
      agentId: AGENT,
      enterpriseId: demoEnterprises.jinling.creditCode,
      stepId: '7',
      stepName: '环境影响评价审批',
      departmentId: 'ENV',
    })),
    invited: ['ENV'],
    responses: { ENV: { answer: 'attend', by: OFFICER, at: createdAt } },
    createdAt,
    updatedAt: createdAt,
  };
  const ops: StoreOp[] = [{ op: 'put_meeting', meeting, expectedVersion: null }];
  for (const userId of [OFFICER, AGENT]) {
    ops.push({
      op: 'put_notification',
      notification: {
        userId,
        notificationId: ulid(Date.parse(createdAt)),
        at: createdAt,
        kind: 'meeting',
        title: `联审会通知：${meeting.title}`,
        message: `${meeting.place}，议题 ${agenda.length} 项`,
        meetingId,
        meetingAt: scheduledAt,
        read: false,
      },
    });
  }
  return ops;
}

/** The Put items of operations, as the store encodes them (their conditions dropped: a batch write has none). */
function itemsOf(tableName: string, ops: readonly StoreOp[], step?: ProjectStep): Item[] {
  return toTransactItems(tableName, ops).items.map((entry) => {
    if (!entry.Put) throw new Error('the seed writes new items only');
    const item = entry.Put.Item as Item;
    // the workbench's summary, as the transaction that opened the step wrote it beside the project
    if (step && item.SK === 'PROJECT') return { ...item, work: workSummaryOf([step], 0, 1) };
    return item;
  });
}

/** Writes `total` realistic projects (and their meetings and counters), `concurrency` batch writes at once. */
export async function seedRealisticProjects(
  system: LocalSystem,
  options: { endpoint: string; tableName: string; total: number; label: string; concurrency?: number },
): Promise<{ items: number; meetings: number; notifications: { agent: number; officer: number } }> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: options.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  let items = 0;
  let meetings = 0;
  const notifications = { agent: 0, officer: 0 };
  const count = (ops: readonly StoreOp[]) => {
    for (const op of ops) {
      if (op.op !== 'put_notification') continue;
      if (op.notification.userId === AGENT) notifications.agent += 1;
      if (op.notification.userId === OFFICER) notifications.officer += 1;
    }
  };
  const write = async (batch: Item[]) => {
    for (let i = 0; i < batch.length; i += 25) {
      let requests = batch.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await doc.send(
          new BatchWriteCommand({ RequestItems: { [options.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[options.tableName] ?? []) as typeof requests;
      }
    }
  };
  // chunks of projects, each encoded then written while the others' are (Node encodes as DynamoDB Local writes)
  const CHUNK = 20;
  const chunks = Array.from({ length: Math.ceil(options.total / CHUNK) }, (_, i) => i * CHUNK);
  const agenda: Array<{ projectId: string; code: string; name: string }> = [];
  const bar = progressBar(options.label, options.total);
  let done = 0;
  try {
    await inParallel(chunks, options.concurrency ?? 8, async (from) => {
      const batch: Item[] = [];
      for (let i = from; i < Math.min(from + CHUNK, options.total); i += 1) {
        const project = realisticProjectOps(system, i);
        count(project.ops);
        batch.push(...itemsOf(options.tableName, project.ops, project.step));
        if (i % SHARES.meeting === 7) agenda[(i - 7) / SHARES.meeting] = project;
      }
      items += batch.length;
      await write(batch);
      done += Math.min(CHUNK, options.total - from);
      if (done % 1_000 < CHUNK || done === options.total) bar.tick(done);
    });
    // the meetings, their agendas in the order of the projects on them
    const batch: Item[] = [];
    for (let m = 0; m * SHARES.agendaPerMeeting < agenda.length; m += 1) {
      const ops = meetingOps(m, agenda.slice(m * SHARES.agendaPerMeeting, (m + 1) * SHARES.agendaPerMeeting));
      count(ops);
      batch.push(...itemsOf(options.tableName, ops));
      meetings += 1;
    }
    items += batch.length;
    await write(batch);
  } finally {
    doc.destroy();
  }
  bar.done();
  await addMonthCounters(system, options.total);
  return { items, meetings, notifications };
}

/** The month's counters of the departments and the agent: what the seeded projects' decisions added. */
async function addMonthCounters(system: LocalSystem, total: number): Promise<void> {
  const supplements = Math.ceil(total / SHARES.supplement);
  const add = (counts: Partial<StatCounters>): Partial<StatCounters> =>
    Object.fromEntries(STAT_COUNTERS.flatMap((c) => (counts[c] ? [[c, counts[c]]] : [])));
  const month = '2026-11';
  await system.ctx.store.commit([
    {
      op: 'update_stats',
      dimension: 'department',
      id: 'DRC',
      month,
      add: add({
        decided: total,
        onTime: total,
        workingDaysUsed: 3 * total,
        promisedDays: 5 * total,
        legalDays: 20 * total,
      }),
    },
    {
      op: 'update_stats',
      dimension: 'department',
      id: 'ENV',
      month,
      add: add({ submitted: total, supplements, resubmitted: supplements }),
    },
    {
      op: 'update_stats',
      dimension: 'agent',
      id: AGENT,
      month,
      add: add({ submitted: 2 * total, resubmitted: supplements }),
    },
  ]);
}
