import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DAIBAN_FUNCTION_MEMORY_MB } from '../infra/aws/constructs/daiban-function.js';
import {
  allSteps,
  driveOverHttp,
  officerOf,
  type ProjectView,
  viewProject,
} from '../infra/local/drive-over-http.js';
import { type RunningDynamoDb, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { InProcessClient } from '../infra/local/in-process-client.js';
import { demoEnterprises } from '../infra/local/seed-reference.js';
import { createLocalSystem, type LocalSystem } from '../infra/local/system.js';
import { handleCallbackTask } from '../shared/app/callback-task.js';
import { ManualClock } from '../shared/app/clock.js';
import { finishStage } from '../shared/app/finish-stage.js';
import { referenceChain } from '../shared/domain/reference/industrial-chain.js';
import { PROJECT_RETURNED_STATE, ROUTE_STATE, STAGE_COMPLETED_STATE } from '../shared/workflow/asl.js';
import { type DynamoDbMeter, startDynamoDbMeter } from './dynamodb-meter.js';

/**
 * `npm run cost`: runs one project through the 40-step reference chain on the local engine (the same ASL and
 * handlers as on AWS), counts what AWS would bill, and prints the cost per project at list prices.
 */

/** List prices, us-east-1, 2024 (Lambda on ARM/Graviton, DynamoDB on-demand, HTTP API). */
const PRICES = {
  stepFunctionsPerTransition: 0.025 / 1_000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoDbPerWriteUnit: 0.625 / 1_000_000,
  dynamoDbPerReadUnit: 0.125 / 1_000_000,
  httpApiPerRequest: 1.0 / 1_000_000,
} as const;

/** Step Functions Standard transitions per reference project the design aims to stay under. */
const TRANSITION_TARGET = 250;

type Timing = { count: number; totalMs: number };

class Meter {
  readonly transitions = new Map<string, number>();
  readonly api = new Map<string, Timing>();
  readonly tasks = new Map<string, Timing>();

  async time<T>(into: Map<string, Timing>, key: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      const timing = into.get(key) ?? { count: 0, totalMs: 0 };
      timing.count += 1;
      timing.totalMs += performance.now() - started;
      into.set(key, timing);
    }
  }
}

const sum = (timings: Map<string, Timing>) =>
  [...timings.values()].reduce(
    (acc, t) => ({ count: acc.count + t.count, totalMs: acc.totalMs + t.totalMs }),
    {
      count: 0,
      totalMs: 0,
    },
  );

/** The route a request counts under, as the output lists them. */
function routeOf(method: string, path: string): string {
  if (path === '/projects') return `${method} /projects`;
  if (path.endsWith('/submission')) return `${method} …/submission`;
  if (path.endsWith('/decision')) return `${method} …/decision`;
  if (path.endsWith('/resubmission')) return `${method} …/resubmission`;
  if (path.includes('complaints')) return `${method} …/complaints`;
  if (path.includes('/inbox')) return `${method} …/inbox`;
  if (path.startsWith('/meetings')) {
    const action = path.split('/')[3];
    return `${method} /meetings${action ? `/{id}/${action}` : path === '/meetings' ? '' : '/{id}'}`;
  }
  return `${method} /projects/{id}`;
}

/** Drives the project the way its agent and the departments would, through the HTTP API, timing each request. */
async function runReferenceProject(system: LocalSystem, meter: Meter): Promise<ProjectView> {
  // local sign-in; on AWS Cognito does this
  const api = new InProcessClient(system.app, (method, path, send) =>
    meter.time(meter.api, routeOf(method, path), send),
  );
  const agent = 'agent-wang';
  const created = await api.call<{ projectId: string }>('POST', '/projects', agent, {
    name: '智能装备产业园一期（成本测算）',
    enterprise: { ...demoEnterprises.jinling },
    investmentCny: 350_000_000,
    chainId: referenceChain.id,
    agentId: agent,
  });
  if (created.status !== 201)
    throw new Error(`POST /projects: ${created.status} ${JSON.stringify(created.body)}`);
  return driveOverHttp(api, () => system.engine.settled(), created.body.projectId, { viewAs: agent });
}

/**
 * A project the way many go: the investor files an efficiency complaint (行政效能投诉) about step 1, which the
 * efficiency office acknowledges, investigates and closes; the filing, submitted, is left undecided until the SLA
 * sweep deems it approved (超时默认); a department asks for a supplement (补正) on one of its steps, which the agent
 * supplies; then the rest as on the happy path.
 */
async function runEventfulProject(
  system: LocalSystem,
  meter: Meter,
  clock: ManualClock,
): Promise<ProjectView> {
  const api = new InProcessClient(system.app, (method, path, send) =>
    meter.time(meter.api, routeOf(method, path), send),
  );
  const agent = 'agent-wang';
  const expect = (what: string, res: { status: number; body: unknown }, status = 200) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const created = await api.call<{ projectId: string }>('POST', '/projects', agent, {
    name: '智能装备产业园二期（成本测算：补正与投诉）',
    enterprise: { ...demoEnterprises.jinling },
    investmentCny: 350_000_000,
    chainId: referenceChain.id,
    agentId: agent,
  });
  expect('POST /projects', created, 201);
  const projectId = created.body.projectId;
  await system.engine.settled();
  const filed = await api.call<{ complaint: { complaintId: string } }>(
    'POST',
    `/projects/${projectId}/steps/1/complaints`,
    'investor-jinling',
    { category: 'shifting_responsibility', description: '窗口称须先到自然资源局开具证明，与办事指南不符' },
  );
  expect('file a complaint', filed, 201);
  const complaint = `/complaints/${filed.body.complaint.complaintId}`;
  for (const [what, body] of [
    ['acknowledgement', { note: '已登记' }],
    ['investigation', { note: '调取窗口记录，询问经办人' }],
    ['closure', { finding: 'upheld', actionTaken: '责令窗口当日受理，约谈窗口负责人' }],
  ] as const) {
    expect(`complaint ${what}`, await api.call('POST', `${complaint}/${what}`, 'efficiency-office', body));
  }
  // The filing (step 1) is submitted and nobody decides it: a week later the SLA sweep deems it approved (超时默认).
  const filing = allSteps(await viewProject(api, projectId, agent)).find((s) => s.stepId === '1');
  expect(
    'submit step 1',
    await api.call('POST', `/projects/${projectId}/steps/1/submission`, agent, {
      materials: filing?.materials ?? [],
    }),
  );
  await system.engine.settled();
  clock.advanceDays(7);
  await system.runJob();
  await system.engine.settled();
  const deemed = allSteps(await viewProject(api, projectId, agent)).find((s) => s.stepId === '1');
  if (deemed?.status !== 'deemed_approved') {
    throw new Error(`step 1 was not deemed approved by the sweep: ${deemed?.status}`);
  }
  // driven until a department's step other than the filing is in review: that one gets a supplement request
  let supplemented: { stepId: string; departmentId: string } | undefined;
  await driveOverHttp(api, () => system.engine.settled(), projectId, {
    viewAs: agent,
    stop: (view) => {
      const step = allSteps(view).find(
        (s) => s.status === 'in_review' && s.kind === 'approval' && s.stepId !== '1' && s.departmentId,
      );
      if (step) supplemented = { stepId: step.stepId, departmentId: step.departmentId ?? '' };
      return step !== undefined;
    },
  });
  if (!supplemented) throw new Error('no step came into review for a supplement request');
  const base = `/projects/${projectId}/steps/${supplemented.stepId}`;
  const missing = '补充说明材料';
  expect(
    'supplement request',
    await api.call('POST', `${base}/decision`, officerOf(supplemented.departmentId), {
      outcome: 'supplement',
      missingMaterials: [{ name: missing, reason: '缺少必要的说明' }],
    }),
  );
  expect('resubmission', await api.call('POST', `${base}/resubmission`, agent, { supplied: [missing] }));
  await convenedAndMinuted(api, system, clock, projectId, supplemented.stepId);
  return driveOverHttp(api, () => system.engine.settled(), projectId, { viewAs: agent });
}

/**
 * A joint review meeting (联合审查会) on the next department's step that comes into review: convened by a leader an
 * hour ahead, the department answers that it attends, attendance is taken when it starts, the minutes approve the
 * step (binding it as the department's decision).
 */
async function convenedAndMinuted(
  api: InProcessClient,
  system: LocalSystem,
  clock: ManualClock,
  projectId: string,
  supplementedStepId: string,
): Promise<void> {
  const agent = 'agent-wang';
  const leader = 'leader-zhang';
  const expect = (what: string, res: { status: number; body: unknown }, status = 200) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  let held: { stepId: string; departmentId: string } | undefined;
  await driveOverHttp(api, () => system.engine.settled(), projectId, {
    viewAs: agent,
    stop: (view) => {
      const step = allSteps(view).find(
        (s) =>
          s.status === 'in_review' &&
          s.kind === 'approval' &&
          s.stepId !== '1' &&
          s.stepId !== supplementedStepId &&
          s.departmentId,
      );
      if (step) held = { stepId: step.stepId, departmentId: step.departmentId ?? '' };
      return step !== undefined;
    },
  });
  if (!held) throw new Error('no further step came into review for a meeting');
  const convened = await api.call<{ meeting: { meetingId: string; scheduledAt: string } }>(
    'POST',
    '/meetings',
    leader,
    {
      title: '智能装备产业园二期 联合审查会（成本测算）',
      agenda: [{ projectId, stepId: held.stepId }],
      scheduledAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      place: '区政务服务中心三楼联审会议室',
    },
  );
  expect('convene a meeting', convened, 201);
  const meeting = `/meetings/${convened.body.meeting.meetingId}`;
  expect(
    'answer the invitation',
    await api.call('POST', `${meeting}/responses`, officerOf(held.departmentId), { answer: 'attend' }),
  );
  clock.set(new Date(Date.parse(convened.body.meeting.scheduledAt) + 60_000));
  expect(
    'attendance',
    await api.call('POST', `${meeting}/attendance`, leader, { present: [held.departmentId] }),
  );
  expect(
    'minutes',
    await api.call('POST', `${meeting}/minutes`, leader, {
      decisions: [{ itemId: '1', outcome: 'approved' }],
    }),
  );
  await system.engine.settled();
}

/** What one project's meters come to: transitions, invocations, the billed Lambda time, and each price in USD. */
function priced(meter: Meter, usage: ReturnType<DynamoDbMeter['usage']>) {
  const transitions = [...meter.transitions.values()].reduce((a, b) => a + b, 0);
  const api = sum(meter.api);
  const tasks = sum(meter.tasks);
  const invocations = api.count + tasks.count;
  const avgMs = invocations === 0 ? 0 : (api.totalMs + tasks.totalMs) / invocations;
  const billedMs = Math.max(1, Math.ceil(avgMs));
  const gbSeconds = invocations * (billedMs / 1000) * (DAIBAN_FUNCTION_MEMORY_MB / 1024);
  const cost = {
    stepFunctions: transitions * PRICES.stepFunctionsPerTransition,
    lambdaRequests: invocations * PRICES.lambdaPerRequest,
    lambdaCompute: gbSeconds * PRICES.lambdaArmPerGbSecond,
    dynamoWrites: usage.writeUnits * PRICES.dynamoDbPerWriteUnit,
    dynamoReads: usage.readUnits * PRICES.dynamoDbPerReadUnit,
    httpApi: api.count * PRICES.httpApiPerRequest,
  };
  const total = Object.values(cost).reduce((a, b) => a + b, 0);
  return { transitions, api, tasks, invocations, avgMs, billedMs, gbSeconds, cost, total };
}

/** What one project cost, from its meters (the same model as the happy path's, in short). */
function costOf(meter: Meter, usage: ReturnType<DynamoDbMeter['usage']>) {
  const { transitions, api, tasks, avgMs, cost, total } = priced(meter, usage);
  return {
    status: 'unknown',
    transitions,
    invocations: { api: api.count, tasks: tasks.count, averageMs: avgMs },
    dynamoDb: usage,
    usd: { ...cost, total },
  };
}

/** Each route's and task handler's count for both projects, one line each, side by side (0 where one has none). */
function perRoute(happy: Meter, eventful: Meter): string[] {
  const lines = [`${pad('  route or handler')}${'happy'.padStart(8)}${'eventful'.padStart(10)}`];
  for (const [title, a, b] of [
    ['API', happy.api, eventful.api],
    ['task handlers', happy.tasks, eventful.tasks],
  ] as const) {
    const keys = [...new Set([...a.keys(), ...b.keys()])];
    for (const key of keys) {
      lines.push(
        `${pad(`  ${title === 'API' ? '' : '(task) '}${key}`)}${String(a.get(key)?.count ?? 0).padStart(8)}${String(b.get(key)?.count ?? 0).padStart(10)}`,
      );
    }
    const total = (m: Map<string, Timing>) => sum(m).count;
    lines.push(`${pad(`    ${title}, all`)}${String(total(a)).padStart(8)}${String(total(b)).padStart(10)}`);
  }
  return lines;
}

const usd = (value: number): string => `$${value.toFixed(6)}`;
const pad = (label: string, width = 60): string => label.padEnd(width, ' ');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  let dynamo: RunningDynamoDb | undefined;
  let dynamoMeter: DynamoDbMeter | undefined;
  let system: LocalSystem | undefined;
  const stopAll = async (): Promise<void> => {
    await system?.stop();
    await dynamoMeter?.stop();
    await dynamo?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }

  try {
    console.log('Starting DynamoDB Local…');
    dynamo = await startDynamoDbLocal();
    dynamoMeter = await startDynamoDbMeter(dynamo.endpoint);
    // a clock the second project moves on a week (for its deemed approval); the first runs at the real time
    const clock = new ManualClock(new Date());
    system = await createLocalSystem({
      endpoint: dynamoMeter.endpoint,
      tableName: `cost-${Date.now()}`,
      clock,
    });
    const ctx = system.ctx;
    // the meters of the project running: the task handlers and the engine count into it
    const happyMeter = new Meter();
    let meter = happyMeter;
    // Each task handler call is one Lambda invocation on AWS; each state entered is one state transition.
    system.engine.bindHandlers({
      callbackTask: (input) => meter.time(meter.tasks, 'callbackTask', () => handleCallbackTask(ctx, input)),
      finishStage: (input) => meter.time(meter.tasks, 'finishStage', () => finishStage(ctx, input)),
    });
    system.engine.onStateEntered((_execution, stateName) => {
      meter.transitions.set(stateName, (meter.transitions.get(stateName) ?? 0) + 1);
    });
    dynamoMeter.reset(); // table creation and seeding are not per project

    console.log(
      `Running one project through ${referenceChain.id}@${referenceChain.version} on the local engine…`,
    );
    const view = await runReferenceProject(system, happyMeter);
    await system.engine.settled();
    const usage = dynamoMeter.usage();

    const steps = view.stages.flatMap((stage) => stage.steps);
    const { transitions, api, tasks, invocations, avgMs, billedMs, gbSeconds, cost, total } = priced(
      happyMeter,
      usage,
    );
    const stageIds = new Set(referenceChain.stages.map((stage) => stage.id));
    const kinds = { parallel: 0, choice: 0, gate: 0, step: 0, part: 0, finish: 0, other: 0 };
    const joint = new Set(steps.filter((s) => s.kind === 'joint').map((s) => s.stepId));
    for (const [state, count] of happyMeter.transitions) {
      if (stageIds.has(state) || joint.has(state)) kinds.parallel += count;
      else if (state.endsWith('-check') || state === ROUTE_STATE) kinds.choice += count;
      else if (state.endsWith('-gate')) kinds.gate += count;
      else if (state === STAGE_COMPLETED_STATE || state === PROJECT_RETURNED_STATE) kinds.finish += count;
      else if (state.includes('.')) kinds.part += count;
      else if (steps.some((s) => s.stepId === state)) kinds.step += count;
      else kinds.other += count;
    }

    // Beside it, a project with a complaint, a deemed approval, a supplement and a meeting (a meter of its own:
    // only that project's requests count; the happy path's stays as it was, to be printed beside it)
    const eventfulMeter = new Meter();
    meter = eventfulMeter;
    dynamoMeter.reset();
    console.log(
      'Running a second project with an efficiency complaint, a deemed approval, a supplement request and a joint review meeting…',
    );
    const eventfulView = await runEventfulProject(system, eventfulMeter, clock);
    await system.engine.settled();
    const eventful = costOf(eventfulMeter, dynamoMeter.usage());
    eventful.status = eventfulView.project.status;

    const lines = [
      '',
      `Daiban cost per reference project (${referenceChain.id}@${referenceChain.version}, ${steps.length} steps, default attributes)`,
      `project status at the end: ${view.project.status}; steps approved ${steps.filter((s) => s.status === 'approved').length}, not applicable ${steps.filter((s) => s.status === 'not_applicable').length}`,
      '',
      'Measured',
      `${pad('  Step Functions state transitions')}${transitions}  (target <= ${TRANSITION_TARGET}: ${transitions <= TRANSITION_TARGET ? 'MET' : 'NOT MET'})`,
      `${pad('    Parallel (stages, joint reviews) / Choice (route, checks)')}${kinds.parallel} / ${kinds.choice}`,
      `${pad('    step tasks / parts / gates / finish')}${kinds.step} / ${kinds.part} / ${kinds.gate} / ${kinds.finish}${kinds.other ? ` (+${kinds.other} other)` : ''}`,
      `${pad('  Lambda invocations')}${invocations}`,
      `${pad('    API requests (Lambda + HTTP API)')}${api.count}`,
      `${pad('    task handlers')}${tasks.count}`,
      `${pad('    average duration, measured locally')}${avgMs.toFixed(1)} ms (billed as ${billedMs} ms at ${DAIBAN_FUNCTION_MEMORY_MB} MB)`,
      `${pad('  DynamoDB write request units')}${usage.writeUnits}  (of which GSI upkeep ${usage.indexWriteUnits})`,
      `${pad('  DynamoDB read request units')}${usage.readUnits}`,
      `${pad('  DynamoDB requests')}${Object.entries(usage.requests)
        .map(([operation, n]) => `${operation} ${n}`)
        .join(', ')}`,
      '',
      'Cost per project, USD at list prices',
      `${pad('  Step Functions Standard ($0.025 / 1,000 transitions)')}${usd(cost.stepFunctions)}`,
      `${pad('  Lambda requests ($0.20 / 1M)')}${usd(cost.lambdaRequests)}`,
      `${pad(`  Lambda ARM compute ($0.0000133334 / GB-s, ${gbSeconds.toFixed(2)} GB-s)`)}${usd(cost.lambdaCompute)}`,
      `${pad('  DynamoDB on-demand writes ($0.625 / 1M WRU)')}${usd(cost.dynamoWrites)}`,
      `${pad('  DynamoDB on-demand reads ($0.125 / 1M RRU)')}${usd(cost.dynamoReads)}`,
      `${pad('  API Gateway HTTP API ($1.00 / 1M requests)')}${usd(cost.httpApi)}`,
      `${pad('  Total')}${usd(total)}  (≈ $${(total * 1000).toFixed(2)} per 1,000 projects)`,
      '',
      `Beside it, a project with an efficiency complaint (filed, acknowledged, investigated, closed), its filing deemed`,
      `approved by the SLA sweep a week on (超时默认, the sweep's own run counted in DynamoDB only), a supplement`,
      `request (补正) answered, and a joint review meeting (联合审查会: convened, answered, attendance, minutes binding`,
      `a step) (status at the end: ${eventful.status})`,
      `${pad('  per project')}${'happy'.padStart(12)}${'eventful'.padStart(12)}`,
      ...[
        ['  Step Functions state transitions', transitions, eventful.transitions],
        ['  Lambda invocations: API requests', api.count, eventful.invocations.api],
        ['  Lambda invocations: task handlers', tasks.count, eventful.invocations.tasks],
        ['  DynamoDB write request units', usage.writeUnits, eventful.dynamoDb.writeUnits],
        ['  DynamoDB read request units', usage.readUnits, eventful.dynamoDb.readUnits],
      ].map(([label, a, b]) => `${pad(String(label))}${String(a).padStart(12)}${String(b).padStart(12)}`),
      ...(
        [
          ['  Step Functions', cost.stepFunctions, eventful.usd.stepFunctions],
          [
            '  Lambda requests + compute',
            cost.lambdaRequests + cost.lambdaCompute,
            eventful.usd.lambdaRequests + eventful.usd.lambdaCompute,
          ],
          [
            '  DynamoDB writes + reads',
            cost.dynamoWrites + cost.dynamoReads,
            eventful.usd.dynamoWrites + eventful.usd.dynamoReads,
          ],
          ['  API Gateway', cost.httpApi, eventful.usd.httpApi],
          ['  Total', total, eventful.usd.total],
        ] as const
      ).map(([label, a, b]) => `${pad(label)}${usd(a).padStart(12)}${usd(b).padStart(12)}`),
      `${pad('  eventful / happy, total')}${(eventful.usd.total / total).toFixed(2)}×`,
      '(Lambda compute is billed from the average duration measured here, which a loaded machine moves more than a',
      'few extra requests do: compare the counts.)',
      '',
      'Per route and task handler, happy path beside the eventful project (requests; each a Lambda invocation)',
      ...perRoute(happyMeter, eventfulMeter),
      '',
      'Assumptions: us-east-1 list prices (2024), no free tiers; capacity units as DynamoDB Local reports them',
      '(on-demand bills the same units); Lambda duration as measured here against DynamoDB Local, cold starts',
      'not included; not included: CloudWatch Logs ingestion (execution logs at level ALL), X-Ray traces,',
      'Cognito monthly active users, DynamoDB storage and PITR, the SLA sweep and notifications (later issues).',
      '',
    ];
    console.log(lines.join('\n'));
    const resultsDir = process.env.BENCH_RESULTS_DIR ?? join(import.meta.dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      join(resultsDir, 'cost.json'),
      `${JSON.stringify(
        {
          chain: `${referenceChain.id}@${referenceChain.version}`,
          status: view.project.status,
          steps: steps.length,
          transitions,
          transitionTarget: TRANSITION_TARGET,
          kinds,
          lambdaInvocations: { api: api.count, tasks: tasks.count, averageMs: avgMs },
          dynamoDb: usage,
          usdPerProject: { ...cost, total },
          eventful: {
            with: ['complaint', 'deemed approval', 'supplement', 'meeting'],
            ...eventful,
            perRoute: Object.fromEntries(
              [...eventfulMeter.api, ...eventfulMeter.tasks].map(([k, t]) => [k, t.count]),
            ),
          },
          perRoute: Object.fromEntries(
            [...happyMeter.api, ...happyMeter.tasks].map(([k, t]) => [k, t.count]),
          ),
        },
        null,
        2,
      )}\n`,
    );
    if (view.project.status !== 'completed') process.exitCode = 1;
    if (eventful.status !== 'completed') process.exitCode = 1;
    if (transitions > TRANSITION_TARGET) process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
