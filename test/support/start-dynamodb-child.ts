import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';

/**
 * A child process that starts DynamoDB Local as the test setup does (in memory, any free port), prints its pid as
 * one JSON line, and waits to be killed: what `test/e2e/dynamodb-orphans.test.ts` kills.
 */
const dynamo = await startDynamoDbLocal();
console.log(JSON.stringify({ javaPid: dynamo.pid, endpoint: dynamo.endpoint }));
setInterval(() => {}, 60_000);
