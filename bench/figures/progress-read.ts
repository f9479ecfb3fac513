import { Agent, request } from 'node:http';
import { startApiServerThread } from '../lib/api-server.js';
import type { BenchSystem } from '../lib/bench-system.js';
import { type CallCounts, totalCalls } from '../lib/dynamo-calls.js';
import { interleavedLatency, interleavedThroughput } from '../lib/interleave.js';
import { cpuSecondsOf, ownCpuSeconds } from '../lib/machine.js';
import { progressBar } from '../lib/progress.js';
import { type Latency, latency, ratio, round2 } from '../lib/stats.js';
import { workingSetQuery } from '../lib/working-set-query.js';

export type ProgressReadFigure = {
  /** GET /projects/{id} over HTTP (an agent's token) */
  read: Latency & { perSecond: number };
  /** the bare baseline: a DynamoDB Query of the same partition, as the read's own Query asks it */
  query: Latency & { perSecond: number };
  /** the HTTP ceiling: a bare Hono route on the same server stack */
  bareHono: Latency & { perSecond: number };
  /** HTTP and the Query alone: a bare Hono route that sends the read's Query and answers its items */
  queryOverHttp: Latency & { perSecond: number };
  concurrency: number;
  p99Ratio: number;
  throughputRatio: number;
  callsPerRead: CallCounts & { total: number };
  /**
   * CPU per operation in the throughput slices: this process (the bench's client and the API's thread) and
   * DynamoDB Local. On a machine whose cores the slices keep busy, the throughput ratio cannot exceed
   * `cpuBound`, the bare Query's CPU over the read's.
   */
  cpuMs: {
    read: CpuPerOperation;
    query: CpuPerOperation;
    queryOverHttp: CpuPerOperation;
    cpuBound: number;
  };
  goals: { p99Ratio: number; throughputRatio: number };
  met: { p99: boolean; throughput: boolean };
};

/** Progress reads whose DynamoDB requests are counted, before the timed ones. */
const COUNTED_READS = 100;

export type CpuPerOperation = { node: number; dynamoDbLocal: number; total: number };

/**
 * A progress page, GET /projects/{id}, against a bare Query of the same partition (what the page cannot do
 * without), a bare Hono route served the same way (what HTTP costs alone) and a bare route sending that Query (HTTP
 * and the Query alone): the read's DynamoDB requests counted first, then latency one request at a time,
 * interleaved, then throughput at the same concurrency in interleaved slices. Measured from outside: the API and
 * the bare route are served on a thread of their own (as `npm start` serves them in a process of their own), the
 * requests and the bare Queries sent from this one.
 */
export async function measureProgressRead(
  bench: BenchSystem,
  options: {
    projectIds: string[];
    rounds: number;
    concurrency: number;
    sliceMs: number;
    slices: number;
    dynamoDbPid: number | undefined;
  },
): Promise<ProgressReadFigure> {
  const { projectIds } = options;
  const server = await startApiServerThread({ endpoint: bench.endpoint, tableName: bench.tableName });
  const token = await server.token('leader-zhang');
  const pick = (n: number) => projectIds[n % projectIds.length] as string;
  let n = 0;
  // Node's own HTTP client, keeping its connections, as the SDK's client of the bare Query does: the bench's client
  // shares the machine with what it measures, and fetch would take it about a third more CPU a request
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency * 2 });
  const get = (url: string, headers: Record<string, string> = {}) =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(new Error(`GET ${url}: ${res.statusCode} ${Buffer.concat(chunks).toString()}`)),
        );
      });
      req.on('error', reject);
      req.end();
    });
  const read = (i = n++) => get(`${server.url}/projects/${pick(i)}`, { authorization: `Bearer ${token}` });
  const query = (i = n++) => bench.rawDoc.send(workingSetQuery(bench.tableName, pick(i)));
  const bareHono = () => get(`${server.bareUrl}/bare`);
  const queryOverHttp = (i = n++) => get(`${server.bareUrl}/bare-query/${pick(i)}`);
  try {
    // warm up all four
    for (let i = 0; i < 20; i += 1) await Promise.all([read(), query(), bareHono(), queryOverHttp()]);
    // the DynamoDB requests of reads one at a time, counted; then the counting stops, so that what is timed
    // carries no instrumentation the baselines do not
    await server.reset();
    const reads = Math.min(options.rounds, COUNTED_READS);
    for (let i = 0; i < reads; i += 1) await read();
    const calls = await server.calls();
    await server.quiet();
    const bar = progressBar(
      'progress reads, bare Queries and bare Hono calls',
      options.rounds + options.slices,
    );
    const samples = await interleavedLatency(
      {
        read: (r) => read(r),
        query: (r) => query(r),
        bareHono: () => bareHono(),
        queryOverHttp: (r) => queryOverHttp(r),
      },
      options.rounds,
      (r) => bar.tick(r),
    );
    const throughput = await interleavedThroughput(
      { read: () => read(), query: () => query(), bareHono, queryOverHttp: () => queryOverHttp() },
      {
        concurrency: options.concurrency,
        sliceMs: options.sliceMs,
        slices: options.slices,
        onSlice: (s) => bar.tick(options.rounds + s),
        meters: { node: ownCpuSeconds, dynamoDbLocal: () => cpuSecondsOf(options.dynamoDbPid) },
      },
    );
    const cpu = (used: { node: number; dynamoDbLocal: number }): CpuPerOperation => ({
      node: round2(used.node * 1000),
      dynamoDbLocal: round2(used.dynamoDbLocal * 1000),
      total: round2((used.node + used.dynamoDbLocal) * 1000),
    });
    const cpuRead = cpu(throughput.perOperation.read);
    const cpuQuery = cpu(throughput.perOperation.query);
    bar.done();
    const readLatency = latency(samples.read);
    const queryLatency = latency(samples.query);
    const p99Ratio = ratio(readLatency.p99, queryLatency.p99);
    const throughputRatio = ratio(throughput.perSecond.read, throughput.perSecond.query);
    const perRead = Object.fromEntries(
      Object.entries(calls).map(([op, count]) => [op, round2(count / reads)]),
    );
    return {
      read: { ...readLatency, perSecond: round2(throughput.perSecond.read) },
      query: { ...queryLatency, perSecond: round2(throughput.perSecond.query) },
      bareHono: { ...latency(samples.bareHono), perSecond: round2(throughput.perSecond.bareHono) },
      queryOverHttp: {
        ...latency(samples.queryOverHttp),
        perSecond: round2(throughput.perSecond.queryOverHttp),
      },
      concurrency: options.concurrency,
      p99Ratio,
      throughputRatio,
      callsPerRead: { ...perRead, total: round2(totalCalls(perRead)) },
      cpuMs: {
        read: cpuRead,
        query: cpuQuery,
        queryOverHttp: cpu(throughput.perOperation.queryOverHttp),
        cpuBound: ratio(cpuQuery.total, cpuRead.total),
      },
      goals: { p99Ratio: 2, throughputRatio: 0.8 },
      met: { p99: p99Ratio <= 2, throughput: throughputRatio >= 0.8 },
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}
