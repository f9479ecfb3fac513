import { serve } from '@hono/node-server';
import { SettableClock } from '../../shared/app/clock.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { seedDemoProjects } from './seed-demo.js';
import { createLocalSystem } from './system.js';

/**
 * `npm start`: the whole system on one machine. DynamoDB Local keeps its data under .daiban/ across restarts;
 * in-flight projects resume from it; the first start seeds a demo. Ctrl-C stops everything it started.
 */
async function main(): Promise<void> {
  // One line instead of the AWS SDK's multi-line notice; the README says which Node versions are supported.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (Number(process.versions.node.split('.')[0]) < 22) {
    console.log(
      `Node ${process.version}: fine locally; Lambda runs Node 22, and AWS SDK releases after January 2027 need it.`,
    );
  }
  const port = Number(process.env.PORT ?? 3000);
  const dynamoPort = Number(process.env.DYNAMODB_PORT ?? 8000);
  const dataDir = process.env.DAIBAN_DATA_DIR ?? '.daiban/dynamodb';
  const tableName = process.env.TABLE_NAME ?? 'daiban-local';

  console.log(`Starting DynamoDB Local on port ${dynamoPort} (data in ${dataDir}) …`);
  const dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir });
  if (dynamo.reused) console.log(`  reusing the DynamoDB Local already listening on ${dynamo.endpoint}`);

  const clock = new SettableClock();
  const system = await createLocalSystem({ endpoint: dynamo.endpoint, tableName, clock });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping …');
    server?.close();
    await system.stop();
    await dynamo.stop();
    process.exit(code);
  };
  let server: ReturnType<typeof serve> | undefined;
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const recovered = await system.recover();
  if (recovered.resumed > 0) console.log(`Resumed ${recovered.resumed} project(s) in flight.`);
  const existing = await system.ctx.store.listProjects({}, { limit: 1 });
  if (existing.items.length === 0 && process.env.DAIBAN_SEED_DEMO !== 'false') {
    console.log('Seeding the demo: five projects at different points of the 40-step reference chain …');
    for (const line of await seedDemoProjects(system, clock)) console.log(`  ${line}`);
  }

  server = serve({ fetch: system.app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
    const base = `http://127.0.0.1:${info.port}`;
    console.log(`
Daiban (代办) is running at ${base}
  API description   ${base}/openapi.json
  reference chain   ${base}/chains/industrial-enterprise
  seeded users      ${base}/auth/users   (agent-wang, agent-li, officer-<dept> e.g. officer-env, investor-jinling, leader-zhang, admin)

Try:
  TOKEN=$(curl -s -X POST ${base}/auth/dev-token -H 'content-type: application/json' -d '{"userId":"leader-zhang"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
  curl -s ${base}/projects -H "authorization: Bearer $TOKEN"

Press Ctrl-C to stop.`);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
