import {
  Aws,
  type CfnElement,
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule as RuleSchedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DAIBAN_SOURCE } from '../../functions/commons/sweep-job-starter.js';
import type { DaibanConfig } from '../../shared/app/context.js';
import { SWEEP_REQUESTED } from '../../shared/app/sweep-requests.js';
import type { Chain } from '../../shared/domain/chain.js';
import { IMPORT_JOB_QUEUED } from '../../shared/domain/import-job.js';
import { DEFAULT_TIME_ZONE } from '../../shared/domain/local-time.js';
import { ApprovalWorkflows } from './constructs/approval-workflow.js';
import { DaibanFunction } from './constructs/daiban-function.js';
import { DaibanHttpApi } from './constructs/daiban-http-api.js';
import { DaibanMonitoring } from './constructs/daiban-monitoring.js';
import { grantTableAccess, TableActions } from './constructs/table-access.js';
import type { PartitionFeatures } from './partition.js';

export type StatelessStackProps = StackProps & {
  stage: string;
  table: ITable;
  /** the secret session tokens are signed with (the API function may read it; nothing else) */
  signingKey: ISecret;
  /** the secret page cursors are signed with (the API and the scheduled job may read it; nothing else) */
  cursorKey: ISecret;
  /** what the partition offers (EventBridge Scheduler, X-Ray, arm64): partition.ts */
  features: PartitionFeatures;
  /** the approval chains to deploy, one state machine each (validated chains) */
  chains: readonly Chain[];
  /** project-code segments of the operator (REGION_CODE, INDUSTRY_CODE, TYPE_CODE) */
  config: DaibanConfig;
  /** an existing SNS topic the alarms notify */
  alarmTopicArn?: string;
  /** the service centre's time zone for every date people read (default Asia/Shanghai) */
  timeZone?: string;
  /** stage throttle of the API */
  throttle?: { rateLimit: number; burstLimit: number };
};

const {
  getItem,
  batchGetItem,
  query,
  putItem,
  updateItem,
  deleteItem,
  conditionCheckItem,
  batchWriteItem,
  scan,
} = TableActions;

/** How often the scheduled job runs (outbox retries, renewals, the audit, and the SLA sweep). */
export const SCHEDULED_JOB_RATE_MINUTES = 1;

/**
 * The code: one Lambda per handler (API, callback task, finish stage, scheduled job), one Step Functions state
 * machine per approval chain version shipped with the code (versions published later get theirs at run time from
 * the API, with the same role and naming), the HTTP API (every route to the Hono app, which signs users in and
 * verifies their tokens itself), the schedule and the rule that keep the spine moving, alarms and a dashboard.
 * Partition-aware: no ARN or endpoint is written out (Aws.PARTITION, Aws.URL_SUFFIX, Stack.formatArn), and where a
 * feature is missing in the China regions a fallback is used (partition.ts). Holds no data, so it can be destroyed and redeployed at will.
 */
export class StatelessStack extends Stack {
  readonly api: DaibanHttpApi;
  readonly functions: {
    api: DaibanFunction;
    callbackTask: DaibanFunction;
    finishStage: DaibanFunction;
    scheduledJob: DaibanFunction;
  };
  readonly workflows: ApprovalWorkflows;
  readonly bus: EventBus;
  readonly alerts: Topic;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Strong references (Fn::ImportValue): CloudFormation refuses to delete or change the stateful stack's
    // exports (table, signing key) while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const production = props.stage === 'prod';
    const fn = { tracing: props.features.lambdaXRay, arm64: props.features.lambdaArm64 };
    const logs = {
      logRetention: production ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
      logRemovalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    };
    const namePrefix = `Daiban-${props.stage}-`;
    const environment = {
      TABLE_NAME: props.table.tableName,
      STATE_MACHINE_NAME_PREFIX: namePrefix,
      AWS_ACCOUNT_ID: this.account,
      AWS_PARTITION: Aws.PARTITION,
      WORKFLOW_TRACING: String(props.features.stepFunctionsXRay),
      // Powertools' tracer stays quiet where Lambda has no X-Ray
      ...(props.features.lambdaXRay ? {} : { POWERTOOLS_TRACE_ENABLED: 'false' }),
      REGION_CODE: props.config.regionCode,
      INDUSTRY_CODE: props.config.industryCode,
      TYPE_CODE: props.config.typeCode,
      DAIBAN_TIME_ZONE: props.timeZone ?? DEFAULT_TIME_ZONE,
    };

    this.functions = {
      api: new DaibanFunction(this, 'Api', {
        ...logs,
        ...fn,
        entry: 'functions/api/handler.ts',
        description: 'Daiban HTTP API (Hono behind API Gateway)',
        environment,
        timeout: Duration.seconds(29),
      }),
      callbackTask: new DaibanFunction(this, 'CallbackTask', {
        ...logs,
        ...fn,
        entry: 'functions/tasks/callback-task.ts',
        description:
          'Daiban state machine callback task: opens a step, a part or a gate and stores its token',
        environment,
      }),
      finishStage: new DaibanFunction(this, 'FinishStage', {
        ...logs,
        ...fn,
        entry: 'functions/tasks/finish-stage.ts',
        description:
          'Daiban state machine last task: the project moves to its next stage, completes, or stops',
        environment,
      }),
      scheduledJob: new DaibanFunction(this, 'ScheduledJob', {
        ...logs,
        ...fn,
        entry: 'functions/jobs/scheduled-job.ts',
        description: 'Daiban scheduled job: re-sends pending signals, renews and reconciles executions',
        // due items worked 16 at a time; a run stops starting new ones 20 s before this timeout (the rest: next run)
        environment: { ...environment, DAIBAN_SWEEP_CONCURRENCY: '16' },
        timeout: Duration.minutes(1),
      }),
    };
    const { api, callbackTask, finishStage, scheduledJob } = this.functions;

    this.workflows = new ApprovalWorkflows(this, 'Workflows', {
      ...logs,
      namePrefix,
      callbackTask,
      finishStage,
      tracing: props.features.stepFunctionsXRay,
    });
    for (const chain of props.chains) this.workflows.addChain(chain);
    // Registering starts an execution; a decision signals tasks; a re-application or withdrawal renews or stops one.
    this.workflows.grantRun(api, ['start', 'stop', 'signal']);
    // A replayed or already-decided step, and a gate whose prerequisites are closed, are signalled at once.
    this.workflows.grantRun(callbackTask, ['signal']);
    // The end of a stage starts the next stage's execution.
    this.workflows.grantRun(finishStage, ['start', 'signal']);
    // The job re-sends signals, renews and reconciles executions.
    this.workflows.grantRun(scheduledJob, ['start', 'stop', 'describe', 'signal']);
    // Publishing a chain version (POST /chains) creates its machine.
    this.workflows.grantPublish(api);
    api.addEnvironment('CALLBACK_TASK_FUNCTION_ARN', callbackTask.functionArn);
    api.addEnvironment('FINISH_STAGE_FUNCTION_ARN', finishStage.functionArn);
    api.addEnvironment('WORKFLOW_ROLE_ARN', this.workflows.role.roleArn);
    api.addEnvironment('WORKFLOW_LOG_GROUP_ARN', this.workflows.logGroup.logGroupArn);
    // The API signs users in and verifies their tokens with the stack's key: read access to that secret only.
    api.addEnvironment('SIGNING_KEY_SECRET_ARN', props.signingKey.secretArn);
    props.signingKey.grantRead(api);
    // Page cursors: the API hands them out and takes them back, the job keeps its audit's between runs.
    for (const fn of [api, scheduledJob]) {
      fn.addEnvironment('CURSOR_KEY_SECRET_ARN', props.cursorKey.secretArn);
      props.cursorKey.grantRead(fn);
    }

    // Exactly the table actions each handler's use cases perform (see shared/store/dynamo-store.ts).
    // (test/e2e/aws-wiring.test.ts runs every handler and checks each request it makes against these grants)
    const writes = [getItem, batchGetItem, query, putItem, updateItem, deleteItem, conditionCheckItem];
    grantTableAccess(props.table, api, {
      // (BatchWriteItem: the inbox lines of a sweep run, written together; see shared/app/sweep-inbox.ts)
      actions: [...writes, batchWriteItem],
      // departments, chains, users, status lists, inboxes, meetings and complaints (GSI1); by agent and by
      // complainant (GSI2); by enterprise and complaints by department (GSI3); by the current stage's lead (GSI4)
      indexes: ['GSI1', 'GSI2', 'GSI3', 'GSI4'],
    });
    grantTableAccess(props.table, callbackTask, { actions: writes });
    grantTableAccess(props.table, finishStage, { actions: writes });
    // the Work index (what is due), status lists (the audit), users by department and role (who to notify)
    // and a bounded Scan a run while a table written by an older version is brought to the current layout
    grantTableAccess(props.table, scheduledJob, {
      actions: [...writes, batchWriteItem, scan],
      indexes: ['GSI1', 'GSI2', 'Work'],
    });

    // Where SLA news goes besides the in-app inbox: the stage's event bus, and an alerts topic for the upper rungs.
    this.bus = new EventBus(this, 'Events', {
      description: `Daiban ${props.stage}: SLA lights, breaches, escalations, deemed approvals and other notices`,
    });
    this.alerts = new Topic(this, 'Alerts', {
      displayName: `Daiban ${props.stage} alerts`,
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    // Notices are raised by decisions, meetings and complaints (the API), opened steps (the callback task) and the
    // sweep (the job), and each function relays its own change's outbox at once: every one of them sends what it
    // owes to the bus and the topic (without them a function's relay would drop its events), to exactly those two.
    for (const fn of [api, callbackTask, finishStage, scheduledJob]) {
      this.bus.grantPutEventsTo(fn);
      this.alerts.grantPublish(fn);
      fn.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
      fn.addEnvironment('ALERT_TOPIC_ARN', this.alerts.topicArn);
    }

    // The scheduled job: every minute, the same code the local runtime runs on its interval. EventBridge Scheduler
    // where it exists; in the China regions an EventBridge rule on a schedule (same rate, same target).
    if (props.features.eventBridgeScheduler) {
      const schedulerRole = new Role(this, 'SchedulerRole', {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
        description: 'Daiban scheduler: invokes the scheduled job function only',
      });
      Validations.of(schedulerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(scheduledJob.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason:
          'The scheduler target grant covers the job function and its versions; it invokes nothing else.',
      });
      new Schedule(this, 'ScheduledJobSchedule', {
        schedule: ScheduleExpression.rate(Duration.minutes(SCHEDULED_JOB_RATE_MINUTES)),
        description: 'Daiban scheduled job: pending signals, renewals, the audit and the SLA sweep',
        target: new LambdaInvoke(scheduledJob, { role: schedulerRole, retryAttempts: 2 }),
      });
    } else {
      new Rule(this, 'ScheduledJobRule', {
        schedule: RuleSchedule.rate(Duration.minutes(SCHEDULED_JOB_RATE_MINUTES)),
        description: 'Daiban scheduled job: pending signals, renewals, the audit and the SLA sweep',
        targets: [new LambdaFunction(scheduledJob, { retryAttempts: 2 })],
      });
    }
    // A sweep an admin asks for (POST /admin/sla-sweeps): the API records the run as queued and puts an event on
    // the stage's bus (which it may already write to); this rule invokes the job function with it, asynchronously,
    // and the job claims the run. No grant to the API beyond the bus, none to invoke the function itself.
    new Rule(this, 'SweepRequestedRule', {
      description: 'Daiban: run the SLA sweep an admin asked for (the job claims the queued run)',
      eventBus: this.bus,
      eventPattern: { source: [DAIBAN_SOURCE], detailType: [SWEEP_REQUESTED] },
      targets: [new LambdaFunction(scheduledJob, { retryAttempts: 2 })],
    });
    // An execution that fails, times out or is aborted: its project is reconciled at once.
    new Rule(this, 'ExecutionFailedRule', {
      description: 'Daiban: reconcile a project whose execution failed, timed out or was aborted',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ prefix: this.workflows.stateMachineArnPattern.replace(/\*$/, '') }],
        },
      },
      targets: [new LambdaFunction(scheduledJob, { retryAttempts: 4 })],
    });

    // An import job posted (POST /imports raises `import_job_queued` on the stage's bus): the job function imports
    // its rows at once, chunk after chunk until its deadline; the schedule goes on with what is left.
    new Rule(this, 'ImportJobQueuedRule', {
      eventBus: this.bus,
      description: 'Daiban: import the rows of an import job just posted',
      eventPattern: { source: ['daiban'], detailType: [IMPORT_JOB_QUEUED] },
      targets: [new LambdaFunction(scheduledJob, { retryAttempts: 2 })],
    });

    this.api = new DaibanHttpApi(this, 'Http', {
      ...logs,
      handler: api,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
    });

    new DaibanMonitoring(this, 'Monitoring', {
      stage: props.stage,
      api: this.api.api,
      functions: {
        Api: api,
        CallbackTask: callbackTask,
        FinishStage: finishStage,
        ScheduledJob: scheduledJob,
      },
      stateMachines: Object.fromEntries(this.workflows.machines.map((w) => [w.chainKey, w.stateMachine])),
      alarmAction: props.alarmTopicArn
        ? new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn))
        : undefined,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Daiban API' });
    new CfnOutput(this, 'StateMachineNamePrefix', {
      value: namePrefix,
      description: 'every chain version runs on the state machine <prefix><chain>-v<version>',
    });
  }
}
