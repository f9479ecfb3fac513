import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarmAction,
  type IMetric,
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

/**
 * Alarms on what needs a person: any failed execution (a callback task failed after its retries: fix and redrive),
 * any handler error, API 5xx. Plus one dashboard with the executions, the handlers and the API.
 */
export class DaibanMonitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: DaibanMonitoringProps) {
    super(scope, id);
    const alarmOn = (alarmId: string, metric: IMetric, description: string, threshold = 1): void => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
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
    }
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
  }
}
