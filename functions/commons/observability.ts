import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context as LambdaContext } from 'aws-lambda';
import type { Logger } from '../../shared/app/logger.js';
import type { MetricName, Metrics } from '../../shared/app/metrics.js';

/** The service name in every log line, metric dimension and trace. */
export const SERVICE = 'daiban';
/** The CloudWatch namespace of the application's metrics (the dashboard and alarms read it). */
export const METRICS_NAMESPACE = 'Daiban';

/**
 * Powertools on AWS, one set per Lambda process: the Logger writes structured JSON (with the request id once an
 * invocation is observed), Metrics buffers the application's counts and flushes them in CloudWatch's embedded
 * metric format at the end of each invocation, the Tracer records the AWS SDK calls in X-Ray. Locally none of
 * this runs: the local runtime hands the same use cases a readable console logger and no metrics.
 */
export type Observability = {
  logger: PowertoolsLogger;
  metrics: PowertoolsMetrics;
  tracer: Tracer;
  /** the logger port, writing through Powertools */
  log: Logger;
  /** the metrics port, buffering into Powertools */
  appMetrics: Metrics;
};

const UNITS: Record<MetricName, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  Decisions: MetricUnit.Count,
  Breaches: MetricUnit.Count,
  DeemedApprovals: MetricUnit.Count,
  SignalsPending: MetricUnit.Count,
  SignalsRefused: MetricUnit.Count,
  SweepDuration: MetricUnit.Milliseconds,
  SweepFailures: MetricUnit.Count,
};

export function createObservability(): Observability {
  const logger = new PowertoolsLogger({ serviceName: SERVICE });
  const metrics = new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });
  const tracer = new Tracer({ serviceName: SERVICE });
  return {
    logger,
    metrics,
    tracer,
    log: {
      info: (message, fields) => logger.info(message, fields ?? {}),
      warn: (message, fields) => logger.warn(message, fields ?? {}),
      error: (message, fields) => logger.error(message, fields ?? {}),
    },
    appMetrics: { add: (name, value) => metrics.addMetric(name, UNITS[name], value) },
  };
}

/** What one invocation is about: each becomes a key of every log line it writes. */
export type InvocationKeys = { projectId?: string; stepId?: string; principal?: string };

/**
 * Wraps a Lambda handler: every log line of the invocation carries the request id and the keys found in its event
 * (project, step, principal), the cold start is annotated in the trace, and the metrics it added are published at
 * its end, whether it succeeded or failed.
 *
 * @example export const handler = observed(obs, (event) => keysOfTask(event), createCallbackTaskHandler(ctx));
 */
export function observed<E, R>(
  obs: Observability,
  keysOf: (event: E) => InvocationKeys,
  handler: (event: E, context: LambdaContext) => Promise<R>,
): (event: E, context: LambdaContext) => Promise<R> {
  return async (event, context) => {
    obs.logger.resetKeys();
    if (context) obs.logger.addContext(context);
    const keys = Object.fromEntries(Object.entries(keysOf(event)).filter(([, v]) => v !== undefined));
    obs.logger.appendKeys(keys as Record<string, string>);
    obs.tracer.annotateColdStart();
    if (keys.projectId) obs.tracer.putAnnotation('projectId', String(keys.projectId));
    try {
      return await handler(event, context);
    } finally {
      // an invocation that counted nothing publishes nothing (Powertools would warn of an empty flush)
      if (obs.metrics.hasStoredMetrics()) obs.metrics.publishStoredMetrics();
    }
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The project and step a task's payload names. */
export function keysOfTask(event: unknown): InvocationKeys {
  if (!isRecord(event)) return {};
  return {
    ...(typeof event.projectId === 'string' ? { projectId: event.projectId } : {}),
    ...(typeof event.stepId === 'string' ? { stepId: event.stepId } : {}),
  };
}

/**
 * The project and step an API request's path names. Who asks is not read from the event (there is no API Gateway
 * authorizer): the API function appends `principal` once it has verified the token (`principalKey`).
 */
export function keysOfApiRequest(event: unknown): InvocationKeys {
  if (!isRecord(event)) return {};
  const path = typeof event.rawPath === 'string' ? event.rawPath : '';
  const match = /^\/projects\/([^/]+)(?:\/steps\/([^/]+))?/.exec(path);
  return {
    ...(match?.[1] && match[1] !== 'steps' ? { projectId: decodeURIComponent(match[1]) } : {}),
    ...(match?.[2] ? { stepId: decodeURIComponent(match[2]) } : {}),
  };
}

/** The `principal` log key of a verified caller: `role:userId`. */
export const principalKey = (principal: { role: string; userId: string }): InvocationKeys => ({
  principal: `${principal.role}:${principal.userId}`,
});
