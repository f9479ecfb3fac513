import { performance } from 'node:perf_hooks';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { demoEnterprises } from '../../infra/local/seed-reference.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import type { BenchSystem } from '../lib/bench-system.js';
import { type CallCounts, totalCalls } from '../lib/dynamo-calls.js';
import { cpuSecondsOf, ownCpuSeconds } from '../lib/machine.js';
import { inParallel, progressBar } from '../lib/progress.js';
import { type Latency, latency, ratio, round2 } from '../lib/stats.js';

export type RegistrationFigure = {
  projects: number;
  concurrency: number;
  /** projects registered per second, each with its first stage's task handlers done */
  perSecond: number;
  /**
   * the bare TransactWriteItems of every item a registration writes (its request's transaction, then its stage-1
   * task handlers'), replayed one after the other under fresh ids, at the same concurrency, in the slices between
   */
  baselinePerSecond: number;
  /** items a registration writes: in its request's transaction, and in its stage-1 task handlers' */
  itemsWritten: { request: number; tasks: number; transactions: number };
  /** goal: at least this share of the bare rate */
  ratioGoal: number;
  ratio: number;
  post: Latency;
  /** DynamoDB requests per registration: the request itself, and the stage-1 task handlers it sets off */
  calls: { request: CallCounts; tasks: CallCounts; total: number };
  /** CPU per registration: this Node process (API, engine, handlers) and DynamoDB Local */
  cpuMs: { node: number; dynamoDbLocal: number };
  goal: number;
  met: boolean;
};

export const REGISTRATION_GOAL_PER_SECOND = 20;
/** registration at least 70% of the bare transactions of all it writes */
export const REGISTRATION_RATIO_GOAL = 0.7;

/** A registration body; `i` keeps names apart. */
export const registrationBody = (i: number, agentId = 'agent-wang') => ({
  name: `基准项目 ${i}`,
  enterprise: { ...demoEnterprises.jinling },
  investmentCny: 100_000_000 + i,
  chainId: referenceChain.id,
  attributes: {},
  agentId,
});

/**
 * Registration rate: projects registered through the API (in process: routing, validation, access policy, the use
 * case) at `concurrency`, each counted once its first stage's task handlers have stored their tokens, in slices
 * interleaved with slices of the bare baseline, so both see the same machine. The baseline writes everything a
 * registration writes: its request's TransactWriteItems and its stage-1 task handlers' (captured from a warm-up
 * registration and replayed, in that order, under fresh ids).
 */
export async function measureRegistration(
  bench: BenchSystem,
  options: { slices: number; perSlice: number; concurrency: number; dynamoDbPid: number | undefined },
): Promise<{ figure: RegistrationFigure; projectIds: string[] }> {
  const { system, calls, api } = bench;
  const { slices, perSlice, concurrency } = options;
  const projectIds: string[] = [];
  // every TransactWriteItems of the warm-up: the requests' and the stage-1 task handlers'
  const written: Array<{ tag: string; items: string }> = [];
  calls.onAnswered = (call) => {
    if (call.operation === 'TransactWriteItems' && (call.tag === 'registration' || call.tag === 'task')) {
      written.push({
        tag: call.tag,
        items: JSON.stringify((call.command as TransactWriteCommand).input.TransactItems),
      });
    }
  };
  const register = async (i: number) => {
    const started = performance.now();
    const res = await calls.tagged('registration', () =>
      api.call<{ projectId: string; code: string }>('POST', '/projects', 'agent-wang', registrationBody(i)),
    );
    if (res.status !== 201) throw new Error(`POST /projects: ${res.status} ${JSON.stringify(res.body)}`);
    projectIds.push(res.body.projectId);
    return { ...res.body, ms: performance.now() - started };
  };

  // Warm up (JIT, connections, caches) and capture one registration's transactions for the baseline: the
  // request's, then those of its stage-1 task handlers (all a registration writes, in the order it writes them).
  const warmed: Array<{ projectId: string; code: string }> = [];
  for (let i = 0; i < 5; i += 1) warmed.push(await register(-1 - i));
  await system.caughtUp();
  calls.onAnswered = undefined;
  const captured = warmed.at(-1);
  const templates = captured ? written.filter((w) => w.items.includes(captured.projectId)) : [];
  const requestItems = templates.find((w) => w.tag === 'registration');
  if (!captured || !requestItems) throw new Error('no registration transaction was captured');
  const itemsWritten = {
    request: (JSON.parse(requestItems.items) as unknown[]).length,
    tasks: templates
      .filter((w) => w.tag === 'task')
      .reduce((n, w) => n + (JSON.parse(w.items) as unknown[]).length, 0),
  };
  let bare = 0;
  const bareWrite = async () => {
    bare += 1;
    const id = `BASELINE${String(bare).padStart(18, '0')}`;
    const code = `BASELINE-CODE-${bare}`;
    for (const { items } of templates) {
      const fresh = items.replaceAll(captured.projectId, id).replaceAll(captured.code, code);
      await bench.rawDoc.send(new TransactWriteCommand({ TransactItems: JSON.parse(fresh) }));
    }
  };

  calls.reset();
  const posts: number[] = [];
  const time = { registration: 0, baseline: 0 };
  const cpu = { node: 0, java: 0 };
  const bar = progressBar(
    'projects registered (slices interleaved with the bare transaction)',
    slices * perSlice,
  );
  let next = 0;
  for (let slice = 0; slice < slices; slice += 1) {
    const node0 = ownCpuSeconds();
    const java0 = cpuSecondsOf(options.dynamoDbPid);
    const started = performance.now();
    const batch = Array.from({ length: perSlice }, () => next++);
    await inParallel(batch, concurrency, async (i) => {
      posts.push((await register(i)).ms);
    });
    await system.caughtUp();
    time.registration += performance.now() - started;
    cpu.node += ownCpuSeconds() - node0;
    cpu.java += cpuSecondsOf(options.dynamoDbPid) - java0;
    bar.tick(next);

    const baselineStarted = performance.now();
    await inParallel(batch, concurrency, () => bareWrite());
    time.baseline += performance.now() - baselineStarted;
  }
  bar.done();
  const registered = slices * perSlice;
  const request = perProject(calls.counts('registration'), registered);
  const tasks = perProject(calls.counts('task'), registered);
  const perSecond = registered / (time.registration / 1000);
  const baselinePerSecond = registered / (time.baseline / 1000);
  return {
    projectIds,
    figure: {
      projects: registered,
      concurrency,
      perSecond: round2(perSecond),
      baselinePerSecond: round2(baselinePerSecond),
      ratio: ratio(perSecond, baselinePerSecond),
      post: latency(posts),
      calls: { request, tasks, total: round2(totalCalls(request) + totalCalls(tasks)) },
      cpuMs: {
        node: round2((cpu.node * 1000) / registered),
        dynamoDbLocal: round2((cpu.java * 1000) / registered),
      },
      itemsWritten: { ...itemsWritten, transactions: templates.length },
      goal: REGISTRATION_GOAL_PER_SECOND,
      ratioGoal: REGISTRATION_RATIO_GOAL,
      met:
        perSecond >= REGISTRATION_GOAL_PER_SECOND &&
        ratio(perSecond, baselinePerSecond) >= REGISTRATION_RATIO_GOAL,
    },
  };
}

const perProject = (counts: CallCounts, projects: number): CallCounts =>
  Object.fromEntries(Object.entries(counts).map(([operation, n]) => [operation, round2(n / projects)]));
