import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { WORK_PAGE_PROJECTS } from '../../shared/app/work.js';
import { type BenchSystem, startBenchSystem } from '../lib/bench-system.js';
import { cloneProject } from '../lib/clone-projects.js';
import { type CallCounts, totalCalls } from '../lib/dynamo-calls.js';
import { interleavedLatency } from '../lib/interleave.js';
import { type Latency, latency, ratio, round2 } from '../lib/stats.js';
import { registrationBody } from './registration.js';

export type WorkbenchFigure = {
  /** the projects of the one agent */
  projects: number;
  pageSize: number;
  rounds: number;
  /** GET /me/work, one page (the first, or one further on by its cursor) */
  page: Latency;
  /** a bare Query of the same page of the agent's index */
  query: Latency;
  p99Ratio: number;
  goal: number;
  /** DynamoDB requests of one page, by operation, and their total */
  callsPerPage: CallCounts & { total: number };
  met: { p99: boolean; calls: boolean };
};

export const WORKBENCH_P99_GOAL = 2;
export const WORKBENCH_CALLS_GOAL = 5;

const AGENT = 'agent-wang';

/**
 * The agent's workbench at `projects` projects of one agent (one registered, the rest cloned: each with its first
 * stage open, so every page has work due): GET /me/work page by page (the pages' cursors taken in turn, so the
 * rounds read the first page and pages further on alike), beside a bare Query of the same page of the agent index
 * (GSI2, the same limit and start key); and the DynamoDB requests one page makes.
 */
export async function measureWorkbench(options: {
  endpoint: string;
  projects: number;
  rounds: number;
}): Promise<WorkbenchFigure> {
  const bench = await startBenchSystem({
    endpoint: options.endpoint,
    tableName: `bench-workbench-${Date.now()}`,
    serve: false,
  });
  try {
    await seed(bench, options.projects);
    const token = await bench.api.token(AGENT);
    const get = async (path: string) => {
      const res = await bench.system.app.request(path, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { nextCursor?: string; workload: { projects: number } };
    };
    // the cursors of the first pages (page 0: none), for both contenders to read the same pages
    const cursors: Array<string | undefined> = [undefined];
    const starts: Array<Record<string, unknown> | undefined> = [undefined];
    const pages = Math.min(8, Math.ceil(options.projects / WORK_PAGE_PROJECTS));
    for (let i = 1; i < pages; i += 1) {
      const next = (
        await get(`/me/work${cursors[i - 1] ? `?cursor=${encodeURIComponent(cursors[i - 1] ?? '')}` : ''}`)
      ).nextCursor;
      if (!next) break;
      cursors.push(next);
      // the cursor's payload is the index's start key (signed, not secret)
      starts.push(JSON.parse(Buffer.from(next.split('.')[0] ?? '', 'base64url').toString()));
    }
    const pathOf = (round: number) => {
      const cursor = cursors[round % cursors.length];
      return `/me/work${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`;
    };
    const bareQuery = (round: number) =>
      bench.rawDoc.send(
        new QueryCommand({
          TableName: bench.tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': `AGENT#${AGENT}` },
          Limit: WORK_PAGE_PROJECTS,
          ScanIndexForward: false,
          ExclusiveStartKey: starts[round % starts.length],
        }),
      );
    // warm: the chain cached, the JIT settled
    for (let i = 0; i < 5; i += 1) await Promise.all([get(pathOf(i)), bareQuery(i)]);

    bench.calls.reset();
    await bench.calls.tagged('workbench', () => get(pathOf(1)));
    const counts = bench.calls.counts('workbench');
    const samples = await interleavedLatency(
      { page: (round) => get(pathOf(round)), query: (round) => bareQuery(round) },
      options.rounds,
    );
    const page = latency(samples.page);
    const query = latency(samples.query);
    const p99Ratio = round2(ratio(page.p99, query.p99));
    const total = totalCalls(counts);
    return {
      projects: options.projects,
      pageSize: WORK_PAGE_PROJECTS,
      rounds: options.rounds,
      page,
      query,
      p99Ratio,
      goal: WORKBENCH_P99_GOAL,
      callsPerPage: { ...counts, total },
      met: { p99: p99Ratio <= WORKBENCH_P99_GOAL, calls: total <= WORKBENCH_CALLS_GOAL },
    };
  } finally {
    await bench.stop();
  }
}

/** One project of the agent registered and settled, then cloned until the agent has `projects`. */
async function seed(bench: BenchSystem, projects: number): Promise<void> {
  const created = await bench.api.call<{ projectId: string; code: string }>(
    'POST',
    '/projects',
    AGENT,
    registrationBody(0, AGENT),
  );
  if (created.status !== 201) throw new Error(`registration failed: ${created.status}`);
  await bench.system.caughtUp();
  const copy = await cloneProject(bench.rawDoc, bench.tableName, created.body);
  const serials = Array.from({ length: projects - 1 }, (_, i) => i + 2);
  for (let i = 0; i < serials.length; i += 16)
    await Promise.all(serials.slice(i, i + 16).map((s) => copy(s)));
}
