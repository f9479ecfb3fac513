import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { DaibanConfig } from '../../shared/app/context.js';
import { type Chain, chainKey } from '../../shared/domain/chain.js';
import { ApprovalWorkflow } from './constructs/approval-workflow.js';
import { DaibanFunction } from './constructs/daiban-function.js';
import { DaibanHttpApi } from './constructs/daiban-http-api.js';
import { DaibanMonitoring } from './constructs/daiban-monitoring.js';
import { grantTableAccess, TableActions } from './constructs/table-access.js';

export type StatelessStackProps = StackProps & {
  stage: string;
  table: ITable;
  userPool: IUserPool;
  userPoolClient: IUserPoolClient;
  /** the approval chains to deploy, one state machine each (validated chains) */
  chains: readonly Chain[];
  /** project-code segments of the operator (REGION_CODE, INDUSTRY_CODE, TYPE_CODE) */
  config: DaibanConfig;
  /** an existing SNS topic the alarms notify */
  alarmTopicArn?: string;
  /** stage throttle of the API */
  throttle?: { rateLimit: number; burstLimit: number };
};

const { getItem, query, putItem, updateItem, batchWriteItem } = TableActions;

/** Construct ids may not carry `@`; `industrial-enterprise@1` → `industrial-enterprise-v1`. */
const chainConstructId = (chain: Chain): string => `${chain.id}-v${chain.version}`;

/**
 * The code: one Lambda per handler (API, callback task, finish project), one Step Functions state machine per
 * approval chain, the HTTP API with its Cognito JWT authorizer, alarms and a dashboard. Holds no data, so it can
 * be destroyed and redeployed at will.
 */
export class StatelessStack extends Stack {
  readonly api: DaibanHttpApi;
  readonly functions: { api: DaibanFunction; callbackTask: DaibanFunction; finishProject: DaibanFunction };
  readonly workflows: ApprovalWorkflow[];

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Strong references (Fn::ImportValue): CloudFormation refuses to delete or change the stateful stack's
    // exports (table, user pool) while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const production = props.stage === 'prod';
    const logs = {
      logRetention: production ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
      logRemovalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    };
    const environment = {
      TABLE_NAME: props.table.tableName,
      REGION_CODE: props.config.regionCode,
      INDUSTRY_CODE: props.config.industryCode,
      TYPE_CODE: props.config.typeCode,
    };

    this.functions = {
      api: new DaibanFunction(this, 'Api', {
        ...logs,
        entry: 'functions/api/handler.ts',
        description: 'Daiban HTTP API (Hono behind API Gateway)',
        environment,
        timeout: Duration.seconds(29),
      }),
      callbackTask: new DaibanFunction(this, 'CallbackTask', {
        ...logs,
        entry: 'functions/tasks/callback-task.ts',
        description: 'Daiban state machine callback task: opens a step or a gate and stores its token',
        environment,
      }),
      finishProject: new DaibanFunction(this, 'FinishProject', {
        ...logs,
        entry: 'functions/tasks/finish-project.ts',
        description: 'Daiban state machine last task: marks the project completed or the chain stopped',
        environment,
      }),
    };
    const { api, callbackTask, finishProject } = this.functions;

    // The state machines reference the task functions; the functions get the machines' ARNs afterwards, as
    // strings built from CDK-chosen names (see ApprovalWorkflow), so no dependency cycle arises.
    this.workflows = props.chains.map(
      (chain) =>
        new ApprovalWorkflow(this, `Workflow-${chainConstructId(chain)}`, {
          ...logs,
          chain,
          callbackTask,
          finishProject,
        }),
    );
    const stateMachineArns = JSON.stringify(
      Object.fromEntries(this.workflows.map((workflow) => [workflow.chainKey, workflow.stateMachineArn])),
    );
    for (const fn of [api, callbackTask, finishProject])
      fn.addEnvironment('STATE_MACHINE_ARNS', stateMachineArns);
    for (const workflow of this.workflows) {
      // Creating a project starts its execution; a decision completes the step's waiting task and opens gates.
      workflow.grantStartExecution(api);
      workflow.grantTaskResponse(api);
      // A replayed or already-decided step, and a gate whose prerequisites are closed, are signalled at once.
      workflow.grantTaskResponse(callbackTask);
    }

    // Exactly the table actions each handler's use cases perform (see shared/store/dynamo-store.ts).
    grantTableAccess(props.table, api, {
      actions: [getItem, query, putItem, updateItem, batchWriteItem],
      // departments, chains, users, status queues and inboxes (GSI1); by agent (GSI2); by enterprise (GSI3)
      indexes: ['GSI1', 'GSI2', 'GSI3'],
    });
    grantTableAccess(props.table, callbackTask, { actions: [getItem, query, putItem, updateItem] });
    grantTableAccess(props.table, finishProject, { actions: [getItem, putItem, updateItem] });

    this.api = new DaibanHttpApi(this, 'Http', {
      ...logs,
      handler: api,
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
    });

    new DaibanMonitoring(this, 'Monitoring', {
      stage: props.stage,
      api: this.api.api,
      functions: { Api: api, CallbackTask: callbackTask, FinishProject: finishProject },
      stateMachines: Object.fromEntries(
        this.workflows.map((workflow) => [workflow.chainKey, workflow.stateMachine]),
      ),
      alarmAction: props.alarmTopicArn
        ? new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn))
        : undefined,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Daiban API' });
    props.chains.forEach((chain, index) => {
      new CfnOutput(this, `StateMachine-${chainConstructId(chain)}`, {
        value: this.workflows[index]?.stateMachineArn ?? '',
        description: `State machine of chain ${chainKey(chain)}`,
      });
    });
  }
}
