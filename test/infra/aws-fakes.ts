import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsRequest } from './aws-requests.js';

/** Any AWS SDK v3 client (they all have a middleware stack). */
type SdkClient = { middlewareStack: { add: (...args: any[]) => void } };

/**
 * Makes a real SDK client answer in process: every command is recorded as `caller`'s request and answered by
 * `answer` (which may throw the service's modelled errors), never sent. The AWS cloud is the boundary faked here;
 * serialization of the input happens as for a real call up to that point.
 */
export function answeringInProcess<C extends SdkClient>(
  client: C,
  caller: string,
  service: AwsRequest['service'],
  requests: AwsRequest[],
  answer: (operation: string, input: Record<string, any>) => Promise<object> | object,
): C {
  client.middlewareStack.add(
    (_next: unknown, context: { commandName?: string }) => async (args: { input: Record<string, any> }) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      requests.push({ caller, service, operation, input: structuredClone(args.input) });
      const output = await answer(operation, args.input);
      return { output: { $metadata: { httpStatusCode: 200 }, ...output }, response: {} };
    },
    { step: 'initialize', name: 'answerInProcess' },
  );
  return client;
}

/**
 * Records every request a DynamoDB client sends (it still goes to DynamoDB Local): the operation from the
 * `X-Amz-Target` header and the JSON body, as DynamoDB receives them.
 */
export function recordingDynamo(
  client: DynamoDBClient,
  caller: string,
  requests: AwsRequest[],
): DynamoDBClient {
  (client.middlewareStack as unknown as SdkClient['middlewareStack']).add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      const request = (args as { request: { headers: Record<string, string>; body: string } }).request;
      const target = Object.entries(request.headers).find(
        ([name]) => name.toLowerCase() === 'x-amz-target',
      )?.[1];
      requests.push({
        caller,
        service: 'dynamodb',
        operation: String(target).split('.')[1] ?? String(target),
        input: JSON.parse(request.body) as Record<string, any>,
      });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordDynamoRequest' },
  );
  return client;
}
