import { Readable } from 'node:stream';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { awsDynamoClient } from '../../functions/commons/aws-context.js';
import { UnavailableError } from '../../shared/domain/errors.js';
import { DEFAULT_RETRY } from '../../shared/store/dynamo-retry.js';
import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';

/** A request handler that counts the HTTP requests the SDK sends and answers each with DynamoDB throttling. */
function throttlingHandler() {
  const counter = { requests: 0 };
  const handler = {
    handle: async () => {
      counter.requests += 1;
      return {
        response: {
          statusCode: 400,
          reason: 'Bad Request',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-errortype': 'ThrottlingException',
            'x-amzn-requestid': `req-${counter.requests}`,
          },
          body: Readable.from([
            Buffer.from(
              JSON.stringify({
                __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
                message: 'Rate of requests exceeds the allowed throughput.',
              }),
            ),
          ]),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  return { counter, handler };
}

describe("the Lambdas' DynamoDB client", () => {
  it("makes one attempt per call, so throttling is tried exactly the store's 5 times, not 5 × 3", async () => {
    // Prepare
    const { counter, handler } = throttlingHandler();
    const client = awsDynamoClient({
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: handler,
    });
    const store = new DynamoDaibanStore(DynamoDBDocumentClient.from(client), 'table', {
      ...DEFAULT_RETRY,
      sleep: async () => undefined,
    });

    // Act
    const read = store.getUser('admin');

    // Assess
    await expect(read).rejects.toBeInstanceOf(UnavailableError);
    expect(counter.requests).toBe(DEFAULT_RETRY.attempts);
    expect(await client.config.maxAttempts()).toBe(1);
  });

  it('keeps one attempt even when a caller asks for more (the store retries)', async () => {
    // Act
    const client = awsDynamoClient({ region: 'eu-central-1', maxAttempts: 3 });

    // Assess
    expect(await client.config.maxAttempts()).toBe(1);
  });
});
