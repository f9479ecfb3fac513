import type { TestProject } from 'vitest/node';
import { type RunningDynamoDb, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let dynamo: RunningDynamoDb | undefined;

/**
 * Starts one in-memory DynamoDB Local for the whole run, on 127.0.0.1 only like the runtime's (it takes any
 * credentials); each test file makes its own table in it.
 */
export async function setup(project: TestProject): Promise<void> {
  dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
