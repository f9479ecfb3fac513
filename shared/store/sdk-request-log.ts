/**
 * Takes the SDK's request-log middleware off a client. With no logger configured (the SDK's no-op logger) it logs
 * nothing, yet it still walks every request and answer through the operation's schema to hide sensitive members
 * (`schemaLogFilter`), a few milliseconds of CPU per registration for nothing. Nothing in Daiban sets an SDK
 * logger: requests are observed through the tracer and the store's own logs.
 *
 * @example const client = withoutSdkRequestLog(new DynamoDBClient({}));
 */
export function withoutSdkRequestLog<T extends { middlewareStack: { remove(name: string): boolean } }>(
  client: T,
): T {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
