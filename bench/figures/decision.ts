import { performance } from 'node:perf_hooks';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { submitStep } from '../../shared/app/step-actions.js';
import { findStep } from '../../shared/domain/chain-graph.js';
import type { Principal } from '../../shared/domain/principal.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { parseOutbox } from '../../shared/store/dynamo-codec.js';
import type { BenchSystem } from '../lib/bench-system.js';
import { type CallCounts, totalCalls } from '../lib/dynamo-calls.js';
import { interleavedLatency } from '../lib/interleave.js';
import { inParallel, progressBar } from '../lib/progress.js';
import { type Latency, latency, ratio, round2 } from '../lib/stats.js';

export type DecisionFigure = {
  decisions: number;
  /** POST …/steps/1/decision over HTTP (the filing approved: its dependents' gates open) */
  decision: Latency;
  /** the bare baseline: a TransactWriteItems of the same items (the decision's own, replayed on a twin project) */
  transaction: Latency;
  p99Ratio: number;
  /** from the decision's transaction answered to the response: the relay's signals and its outbox delete */
  afterCommit: Latency;
  /** per decision: DynamoDB requests, transactions, and signals owed (in its outbox entry) and sent */
  perDecision: {
    calls: CallCounts & { total: number };
    transactions: number;
    signalsOwed: number;
    signalsSent: number;
  };
  goal: number;
  met: boolean;
};

const agent: Principal = { userId: 'agent-wang', role: 'agent', name: '王代办' };

/**
 * A decision against a bare TransactWriteItems of the same items: each round decides step 1 of one project over
 * HTTP and writes the same transaction on a twin project in the same state (registered and submitted alike), one
 * after the other, alternating which goes first.
 */
export async function measureDecision(
  bench: BenchSystem,
  options: { projectIds: string[]; decisions: number },
): Promise<DecisionFigure> {
  const { system, calls } = bench;
  const needed = options.decisions * 2 + 1;
  if (options.projectIds.length < needed) throw new Error(`the decision figure needs ${needed} projects`);
  const ids = options.projectIds.slice(0, needed);
  const materials = findStep(referenceChain, '1')?.step.materials.map((m) => m.id) ?? [];
  const bar = progressBar('filings submitted for decision', ids.length);
  let submitted = 0;
  await inParallel(ids, 8, async (projectId) => {
    await submitStep(system.ctx, agent, projectId, '1', { materials });
    bar.tick(++submitted);
  });
  bar.done();
  await system.caughtUp();

  const token = await bench.token('officer-drc');
  // an approval is issued as a document (批文), dated the day it is decided (in China)
  const approval = {
    outcome: 'approved',
    document: { number: '基准批〔2026〕1号', date: chinaDate(new Date()) },
  };
  const answered: Array<{ items: TransactWriteCommandInput['TransactItems']; endedAt: number }> = [];
  calls.onAnswered = (call) => {
    if (call.tag === 'decision' && call.operation === 'TransactWriteItems') {
      answered.push({
        items: (call.command as TransactWriteCommand).input.TransactItems,
        endedAt: call.endedAt,
      });
    }
  };
  const decide = async (projectId: string) => {
    const res = await fetch(`${bench.url}/projects/${projectId}/steps/1/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(approval),
    });
    if (res.status !== 200) throw new Error(`decision: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return performance.now();
  };
  // One warm-up decision gives the transaction the baseline replays.
  const [warmId, ...rest] = ids as [string, ...string[]];
  await decide(warmId);
  const template = answered[0];
  if (!template) throw new Error('no decision transaction was captured');
  const templateJson = JSON.stringify(template.items);
  answered.length = 0;
  calls.reset();
  bench.signals.clear();

  const decided = rest.slice(0, options.decisions);
  const twins = rest.slice(options.decisions, options.decisions * 2);
  const afterCommit: number[] = [];
  const roundBar = progressBar('decisions and bare transactions, interleaved', options.decisions);
  const samples = await interleavedLatency(
    {
      decision: async (round) => {
        const before = answered.length;
        const endedAt = await decide(decided[round] as string);
        const commit = answered[before];
        if (commit) afterCommit.push(endedAt - commit.endedAt);
      },
      transaction: (round) =>
        bench.rawDoc.send(
          new TransactWriteCommand({
            TransactItems: JSON.parse(templateJson.replaceAll(warmId, twins[round] as string)),
          }),
        ),
    },
    options.decisions,
    (r) => roundBar.tick(r),
  );
  roundBar.done();
  calls.onAnswered = undefined;
  await system.caughtUp();

  const owed = answered.reduce((sum, a) => sum + signalsIn(a.items), 0);
  const perDecision = (n: number) => round2(n / options.decisions);
  const counts = calls.counts('decision');
  const callsPer = Object.fromEntries(Object.entries(counts).map(([op, n]) => [op, perDecision(n)]));
  const decision = latency(samples.decision);
  const transaction = latency(samples.transaction);
  const p99Ratio = ratio(decision.p99, transaction.p99);
  return {
    decisions: options.decisions,
    decision,
    transaction,
    p99Ratio,
    afterCommit: latency(afterCommit),
    perDecision: {
      calls: { ...callsPer, total: round2(totalCalls(callsPer)) },
      transactions: perDecision(counts.TransactWriteItems ?? 0),
      signalsOwed: perDecision(owed),
      signalsSent: perDecision(bench.signals.get('decision') ?? 0),
    },
    goal: 3,
    met: p99Ratio <= 3,
  };
}

/** The signals a transaction's outbox entry owes the engine. */
function signalsIn(items: TransactWriteCommandInput['TransactItems']): number {
  let count = 0;
  for (const item of items ?? []) {
    const put = item.Put?.Item;
    if (String(put?.SK ?? '').startsWith('OUTBOX#') && put)
      count += parseOutbox(put).sends.filter((s) => s.type === 'task_success').length;
  }
  return count;
}
