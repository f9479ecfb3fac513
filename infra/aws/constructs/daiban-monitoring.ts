import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarmAction,
  type IMetric,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export type DaibanMonitoringProps = {
  stage: string;
  api: HttpApi;
  /** the Lambda functions by a readable name (`Api`, `CallbackTask`, `FinishProject`) */
  functions: Record<string, IFunction>;
  /** the state machines by chain key */
  stateMachines: Record<string, IStateMachine>;
  /** where alarms notify (e.g. an SNS topic); none: alarms only show in the console and the dashboard */
  alarmAction?: IAlarmAction;
};

const FIVE_MINUTES = Duration.minutes(5);

/** The application's own metrics (functions/commons/observability.ts publishes them with Powertools). */
export const APP_METRICS_NAMESPACE = 'Daiban';
const appMetric = (metricName: string, statistic: string, label?: string): Metric =>
  new Metric({
    namespace: APP_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: 'daiban' },
    period: FIVE_MINUTES,
    statistic,
    ...(label ? { label } : {}),
  });

/**
 * Alarms on what needs a person: any failed execution (a callback task failed after its retries: fix and redrive),
 * any handler error, API 5xx. Plus one dashboard with the executions, the handlers and the API.
 */
export class DaibanMonitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: DaibanMonitoringProps) {
    super(scope, id);
    const alarmOn = (
      alarmId: string,
      metric: IMetric,
      description: string,
      threshold = 1,
      how: { periods?: number; below?: boolean; missing?: TreatMissingData } = {},
    ): void => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: how.periods ?? 1,
        comparisonOperator: how.below
          ? ComparisonOperator.LESS_THAN_THRESHOLD
          : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: how.missing ?? TreatMissingData.NOT_BREACHING,
        alarmDescription: `Daiban ${props.stage}: ${description}`,
      });
      if (props.alarmAction) alarm.addAlarmAction(props.alarmAction);
      this.alarms.push(alarm);
    };

    for (const [chain, machine] of Object.entries(props.stateMachines)) {
      alarmOn(
        `ExecutionsFailed-${chain.replace(/[^A-Za-z0-9-]/g, '-')}`,
        machine.metricFailed({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        `an execution of chain ${chain} failed (a callback task failed after its retries); fix the cause and redrive it`,
      );
      alarmOn(
        `ExecutionsTimedOut-${chain.replace(/[^A-Za-z0-9-]/g, '-')}`,
        machine.metricTimedOut({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        `an execution of chain ${chain} timed out; the scheduled job reconciles the project, find out why it ran so long`,
      );
    }
    alarmOn(
      'SignalsPendingTooLong',
      appMetric('SignalsPending', Stats.MINIMUM),
      'signals to the workflow engine stayed unsent past their grace period for 15 minutes (the relay keeps ' +
        'failing: look in the scheduled job log for "signal not delivered")',
      1,
      { periods: 3 },
    );
    alarmOn(
      'SweepFailing',
      appMetric('SweepFailures', Stats.SUM),
      'the scheduled job (SLA sweep, outbox, renewals, audit) failed pieces of work in three runs of 15 minutes',
      1,
      { periods: 3 },
    );
    alarmOn(
      'SweepNotRunning',
      appMetric('SweepDuration', Stats.SAMPLE_COUNT),
      'the scheduled job has not finished a run for 15 minutes (no SLA sweep: lights, breaches and deemed ' +
        'approvals stop moving)',
      1,
      { periods: 3, below: true, missing: TreatMissingData.BREACHING },
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      alarmOn(
        `${name}Errors`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        `the ${name} function reported errors`,
      );
    }
    alarmOn(
      'Api5xx',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      'the API answered 5xx responses',
      5,
    );

    const machines = Object.entries(props.stateMachines);
    const functions = Object.entries(props.functions);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Daiban ${props.stage}\nOne execution per project; SLAs are swept from DynamoDB, not timed by the state machine.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Executions (projects)',
        width: 12,
        left: machines.flatMap(([chain, machine]) => [
          machine.metricStarted({ label: `${chain} started`, statistic: Stats.SUM }),
          machine.metricSucceeded({ label: `${chain} finished`, statistic: Stats.SUM }),
          machine.metricFailed({ label: `${chain} failed`, statistic: Stats.SUM }),
        ]),
      }),
      new GraphWidget({
        title: 'API requests and errors',
        width: 12,
        left: [
          props.api.metricCount({ label: 'requests', statistic: Stats.SUM }),
          props.api.metricClientError({ label: '4xx', statistic: Stats.SUM }),
          props.api.metricServerError({ label: '5xx', statistic: Stats.SUM }),
        ],
        right: [props.api.metricLatency({ label: 'latency p90', statistic: Stats.p(90) })],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Handler invocations and errors',
        width: 12,
        left: functions.map(([name, fn]) => fn.metricInvocations({ label: name, statistic: Stats.SUM })),
        right: functions.map(([name, fn]) =>
          fn.metricErrors({ label: `${name} errors`, statistic: Stats.SUM }),
        ),
      }),
      new GraphWidget({
        title: 'Handler duration p90 (ms)',
        width: 12,
        left: functions.map(([name, fn]) => fn.metricDuration({ label: name, statistic: Stats.p(90) })),
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Decisions, breaches, deemed approvals',
        width: 8,
        left: [
          appMetric('Decisions', Stats.SUM, 'decisions'),
          appMetric('Breaches', Stats.SUM, 'breaches (red)'),
          appMetric('DeemedApprovals', Stats.SUM, 'deemed approvals (默认同意)'),
        ],
      }),
      new GraphWidget({
        title: 'Signals to the engine',
        width: 8,
        left: [
          appMetric('SignalsPending', Stats.MAXIMUM, 'pending past their grace'),
          appMetric('SignalsRefused', Stats.SUM, 'refused (task no longer waits)'),
        ],
      }),
      new GraphWidget({
        title: 'Scheduled job (SLA sweep)',
        width: 8,
        left: [
          appMetric('SweepDuration', Stats.p(50), 'duration p50 (ms)'),
          appMetric('SweepDuration', Stats.MAXIMUM, 'duration max (ms)'),
        ],
        right: [appMetric('SweepFailures', Stats.SUM, 'failures')],
      }),
    );
  }
}
