import { assembleBatch, carryBatch } from '../../shared/app/batches.js';
import type { SettableClock } from '../../shared/app/clock.js';
import { acknowledge, close, fileComplaint, investigate } from '../../shared/app/complaints.js';
import { createProject } from '../../shared/app/create-project.js';
import { createMeeting } from '../../shared/app/meetings.js';
import { decideStep, submitStep } from '../../shared/app/step-actions.js';
import { findStep } from '../../shared/domain/chain-graph.js';
import { localInstant } from '../../shared/domain/local-time.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { ProjectStep } from '../../shared/domain/project.js';
import { formatProjectCode } from '../../shared/domain/project-code.js';
import { addCalendarDays, chinaDate, type WorkingDayCalendar } from '../../shared/domain/working-days.js';
import { driveProject } from './demo-driver.js';
import { demoEnterprises } from './seed-reference.js';
import type { LocalSystem } from './system.js';

const jinling: Principal = {
  userId: 'investor-jinling',
  role: 'investor',
  name: '金陵智能 投资方',
  enterpriseId: demoEnterprises.jinling.creditCode,
};
const wang: Principal = { userId: 'agent-wang', role: 'agent', name: '王代办' };
const li: Principal = { userId: 'agent-li', role: 'agent', name: '李代办' };
const env: Principal = {
  userId: 'officer-env',
  role: 'officer',
  name: '生态环境局窗口',
  departmentId: 'ENV',
};

const water: Principal = { userId: 'officer-wat', role: 'officer', name: '水利局窗口', departmentId: 'WAT' };
const efficiency: Principal = { userId: 'efficiency-office', role: 'efficiency', name: '区效能办' };

const has = (stepId: string, status: ProjectStep['status']) => (steps: ProjectStep[]) =>
  steps.some((s) => s.stepId === stepId && s.status === status);

/**
 * Eight demo projects at different points of the chain, registered in the past (relative to today) on a frozen
 * clock that moves two days a round (never past the real now), so their timelines and due dates look like real
 * work. The clock is released afterwards.
 */
export async function seedDemoProjects(system: LocalSystem, clock: SettableClock): Promise<string[]> {
  const { ctx } = system;
  const settle = () => system.engine.settled();
  const betweenRounds = () => clock.advanceDays(2);
  const codes: string[] = [];
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
  const materialsOf = async (stepId: string) => {
    const chain = await ctx.chains.latest('industrial-enterprise');
    return findStep(chain, stepId)?.step.materials.map((m) => m.id) ?? [];
  };
  const register = async (agent: Principal, input: Parameters<typeof createProject>[2], startedAt: Date) => {
    clock.freeze(startedAt);
    const { project } = await createProject(ctx, agent, input);
    codes.push(`${project.code}  ${project.name}`);
    return project.projectId;
  };

  // 1. Completed: a pilot line that went all the way to its building title.
  const completed = await register(
    li,
    {
      name: '秦淮新材料中试线项目',
      enterprise: demoEnterprises.qinhuai,
      investmentCny: 120_000_000,
      chainId: 'industrial-enterprise',
      attributes: { siteAreaM2: 12000, needsCivilAirDefence: false },
      agentId: 'agent-li',
    },
    daysAgo(200),
  );
  await driveProject(ctx, completed, { settle, betweenRounds });

  // 2. Stage 3 (construction permit): drawings under joint review.
  const stage3 = await register(
    wang,
    {
      name: '金陵智能装备产业园一期',
      enterprise: demoEnterprises.jinling,
      investmentCny: 860_000_000,
      chainId: 'industrial-enterprise',
      attributes: { siteAreaM2: 66000 },
      agentId: 'agent-wang',
    },
    daysAgo(32),
  );
  await driveProject(ctx, stage3, { settle, betweenRounds, until: has('23', 'in_review') });

  // 3. Stage 2 (construction planning): the design scheme approved, permits in review.
  const stage2 = await register(
    li,
    {
      name: '金陵智能二期仓储物流中心',
      enterprise: demoEnterprises.jinling,
      investmentCny: 240_000_000,
      chainId: 'industrial-enterprise',
      attributes: { siteAreaM2: 25000, temporaryWorks: true },
      agentId: 'agent-li',
    },
    daysAgo(24),
  );
  await driveProject(ctx, stage2, { settle, betweenRounds, until: has('16', 'in_review') });

  // 4. Stage 1, waiting on a supplement to the EIA (环评补正).
  const supplement = await register(
    wang,
    {
      name: '秦淮新材料研发中心',
      enterprise: demoEnterprises.qinhuai,
      investmentCny: 310_000_000,
      chainId: 'industrial-enterprise',
      attributes: { hazardousWorks: true },
      agentId: 'agent-wang',
    },
    daysAgo(12),
  );
  await driveProject(ctx, supplement, { settle, betweenRounds, until: has('7', 'ready') });
  await submitStep(ctx, wang, supplement, '7', { materials: await materialsOf('7') });
  clock.advanceDays(1);
  await decideStep(
    ctx,
    env,
    supplement,
    { stepId: '7' },
    {
      outcome: 'supplement',
      missingMaterials: [
        { name: '环境影响报告书（报批版）', reason: '缺少大气环境影响预测章节' },
        { name: '公众参与说明', reason: '未附第二次公示截图' },
      ],
    },
  );
  // … its soil and water plan (8) approved on the enterprise's commitment (告知承诺制) instead of the review
  // opinion, the verification still to come; and its site selection (2) accepted without the power of attorney
  // (容缺受理), to be supplied by the deadline it was given.
  clock.advanceDays(1);
  await submitStep(ctx, wang, supplement, '8', {
    materials: (await materialsOf('8')).filter((m) => m !== 'swc-review-opinion'),
    commitment: { signatory: '陈立（法定代表人）', signedOn: chinaDate(clock.now()) },
  });
  await decideStep(
    ctx,
    water,
    supplement,
    { stepId: '8' },
    {
      outcome: 'approved',
      document: {
        number: `宁水保〔${chinaDate(clock.now()).slice(0, 4)}〕31号`,
        date: chinaDate(clock.now()),
      },
    },
  );
  await submitStep(ctx, wang, supplement, '2', {
    materials: (await materialsOf('2')).filter((m) => m !== 'power-of-attorney'),
  });
  await settle();

  // 5. Just registered: filing (备案) in review.
  const fresh = await register(
    li,
    {
      name: '扬子江生物医药GMP厂房',
      enterprise: demoEnterprises.yangtze,
      investmentCny: 520_000_000,
      chainId: 'industrial-enterprise',
      attributes: { hazardousWorks: true, siteAreaM2: 40000 },
      agentId: 'agent-li',
    },
    daysAgo(2),
  );
  await driveProject(ctx, fresh, { settle, until: has('1', 'ready') });
  await submitStep(ctx, li, fresh, '1', { materials: await materialsOf('1') });

  // 6. 上下协同: two large projects whose EIA (7) sits with the city's 生态环境局 (ENV_CITY). The first was registered
  // with the national project code the platform issued at filing (项目代码); the agent carried both EIAs up in one
  // batch six working days ago, and the district tracks them like any other step until the approvals are collected.
  const registeredOn = workingDaysAgo(ctx.calendar, 12);
  const cityEia = await register(
    wang,
    {
      name: '江北新材料产业基地（重大项目）',
      enterprise: demoEnterprises.jinling,
      investmentCny: 1_850_000_000,
      chainId: 'industrial-enterprise',
      attributes: { eiaReportBook: true, siteAreaM2: 98000 },
      agentId: 'agent-wang',
      projectCode: formatProjectCode({
        year: Number(chinaDate(registeredOn).slice(0, 4)),
        regionCode: '320115',
        industryCode: '47',
        typeCode: '01',
        serial: 88,
      }),
    },
    registeredOn,
  );
  const cityEia2 = await register(
    wang,
    {
      name: '秦淮新材料电子化学品项目',
      enterprise: demoEnterprises.qinhuai,
      investmentCny: 960_000_000,
      chainId: 'industrial-enterprise',
      attributes: { eiaReportBook: true },
      agentId: 'agent-wang',
    },
    registeredOn,
  );
  for (const projectId of [cityEia, cityEia2]) {
    await driveProject(ctx, projectId, { settle, betweenRounds, until: has('7', 'ready') });
  }
  clock.freeze(workingDaysAgo(ctx.calendar, 6));
  const batch = await assembleBatch(ctx, wang, {
    departmentId: 'ENV_CITY',
    items: [cityEia, cityEia2].map((projectId) => ({ projectId, stepId: '7' })),
    note: '环评报告书原件（报批版）两套，送市生态环境局行政审批处',
  });
  await carryBatch(ctx, wang, batch.batchId, {});

  // 7. Every light of 限时办结 on one project: the energy review (6, 10 days, deemed approval allowed) submitted 14
  // working days ago is deemed approved by the first sweep, with its notice; the EIA (7, 15 days, no deemed
  // approval) submitted 18 working days ago is red and escalated; the soil and water plan (8, 10 days) submitted 9
  // working days ago is yellow. A leader has convened a joint review meeting on the red EIA for next week.
  const lights = await register(
    wang,
    {
      name: '长江数据中心一期',
      enterprise: demoEnterprises.yangtze,
      investmentCny: 680_000_000,
      chainId: 'industrial-enterprise',
      attributes: { siteAreaM2: 30000 },
      agentId: 'agent-wang',
    },
    workingDaysAgo(ctx.calendar, 22),
  );
  await driveProject(ctx, lights, { settle, betweenRounds, until: has('6', 'ready') });
  for (const [stepId, days] of [
    ['6', 14],
    ['7', 18],
    ['8', 9],
  ] as const) {
    clock.freeze(workingDaysAgo(ctx.calendar, days));
    await submitStep(ctx, wang, lights, stepId, { materials: await materialsOf(stepId) });
  }
  await settle();

  // 行政效能投诉: 金陵's investor complained of the filing window (1) of its warehouse project, closed on time with a
  // finding upheld; the agent's complaint about the EIA window (7) of 秦淮's research centre is acknowledged, open.
  clock.freeze(workingDaysAgo(ctx.calendar, 8));
  const closedComplaint = await fileComplaint(ctx, jinling, stage2, '1', {
    category: 'shifting_responsibility',
    description: '窗口要求先到自然资源局开具用地证明方可备案，与办事指南所列材料不符',
  });
  clock.advanceDays(1);
  await acknowledge(ctx, efficiency, closedComplaint.complaintId, '已受理，转调查');
  await investigate(ctx, efficiency, closedComplaint.complaintId, '调取窗口受理记录，约谈窗口负责人');
  clock.advanceDays(1);
  await close(ctx, efficiency, closedComplaint.complaintId, {
    finding: 'upheld',
    actionTaken: '对窗口负责人批评教育，责令按办事指南一次性受理，并向企业说明情况',
  });
  clock.freeze(workingDaysAgo(ctx.calendar, 2));
  const openComplaint = await fileComplaint(ctx, wang, supplement, '7', {
    category: 'improper_demands',
    description: '补正通知要求提供办事指南之外的第三方评估报告，且未说明依据',
  });
  clock.advanceDays(0.1);
  await acknowledge(ctx, efficiency, openComplaint.complaintId);

  // The leader convened the meeting on the red EIA two days ago, for half an hour ago: it is being held now, so the
  // tour can take its attendance and minute it at once (attendance and minutes are taken from a meeting's start).
  const leader: Principal = { userId: 'leader-zhang', role: 'leader', name: '张主任（政务服务中心）' };
  await createMeeting(ctx, leader, {
    title: '长江数据中心一期 环评超期督办联审会',
    agenda: [{ projectId: lights, stepId: '7', note: '环评超承诺时限，请生态环境局说明并当场议定' }],
    invite: ['DRC'],
    scheduledAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    place: '区政务服务中心三楼联审会议室',
  });

  clock.release();
  await system.runJob();

  await settle();
  return codes;
}

/** A local time of day on a local date, as a UTC instant. */
function atLocal(date: string, time: string): string {
  const instant = localInstant(`${date}T${time}`);
  if (!instant) throw new Error(`${date} ${time} is not a date and time`);
  return instant;
}

/** 10:00 local time (Beijing by default) on the working day `days` working days before today. */
function workingDaysAgo(calendar: WorkingDayCalendar, days: number): Date {
  let date = chinaDate(new Date());
  for (let counted = 0; counted < days; ) {
    date = addCalendarDays(date, -1);
    if (calendar.isWorkingDay(date)) counted += 1;
  }
  return new Date(atLocal(date, '10:00'));
}
