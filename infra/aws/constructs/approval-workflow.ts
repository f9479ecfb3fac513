import { ArnFormat, Aws, type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { type IGrantable, type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type Chain, chainKey } from '../../../shared/domain/chain.js';
import { stateMachineName } from '../../../shared/engine/aws-engine.js';
import { aslInPartition, chainToAslJson, PARTITION_PLACEHOLDER } from '../../../shared/workflow/asl.js';
import { AslSubstitutions } from '../../../shared/workflow/task-contract.js';

export type WorkflowsProps = {
  /** `Daiban-<stage>-`: every chain version's machine is `<prefix><chain>-v<version>` */
  namePrefix: string;
  callbackTask: IFunction;
  finishStage: IFunction;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  /** X-Ray tracing of the machines (default on; off in the China regions) */
  tracing?: boolean;
};

/**
 * What every approval-chain state machine of a stage shares: the role it runs with (it may invoke exactly the two
 * task functions, write its logs and traces), one execution log group, and the naming rule that lets the code find
 * a chain version's machine from its key, whether CDK created it (the chains shipped with the code, below) or the
 * chain publisher did at run time (a version published through the API, with the same role and log group).
 *
 * Names are chosen, not hard-coded: they carry the stage, so stages can share an account and region.
 */
export class ApprovalWorkflows extends Construct {
  readonly role: IRole;
  readonly logGroup: LogGroup;
  readonly namePrefix: string;
  readonly callbackTask: IFunction;
  readonly finishStage: IFunction;
  /** whether the machines send X-Ray traces */
  readonly tracing: boolean;
  /** `arn:…:stateMachine:<prefix>*`: every chain version's machine of this stage */
  readonly stateMachineArnPattern: string;
  /** `arn:…:execution:<prefix>*:*`: every execution of them */
  readonly executionArnPattern: string;
  readonly machines: ApprovalWorkflow[] = [];

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix;
    this.callbackTask = props.callbackTask;
    this.finishStage = props.finishStage;
    this.tracing = props.tracing ?? true;
    const stack = Stack.of(this);
    this.stateMachineArnPattern = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: `${props.namePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionArnPattern = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.namePrefix}*:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // The /aws/vendedlogs/ prefix keeps Step Functions from growing the account's log resource policy.
    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `/aws/vendedlogs/states/${props.namePrefix}workflows`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Daiban ${props.namePrefix}* state machines: invoke the two task functions, write logs and traces`,
    });
    // The definitions invoke the unqualified function ARNs only: no `:*` (version/alias) wildcard needed.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [props.callbackTask.functionArn, props.finishStage.functionArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
          ...(this.tracing
            ? [
                'xray:PutTraceSegments',
                'xray:PutTelemetryRecords',
                'xray:GetSamplingRules',
                'xray:GetSamplingTargets',
              ]
            : []),
        ],
        resources: ['*'],
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs delivery and X-Ray actions for Step Functions support no resource-level permissions.',
    });
    this.role = role;
  }

  /** The machine of one chain version, deployed by CDK. */
  addChain(chain: Chain): ApprovalWorkflow {
    const workflow = new ApprovalWorkflow(this, `Chain-${chain.id}-v${chain.version}`, {
      chain,
      workflows: this,
    });
    this.machines.push(workflow);
    return workflow;
  }

  /**
   * The grants below name this stage's machines by their prefix (`Daiban-<stage>-*`): versions published after
   * deployment get machines of that name. cdk-nag flags the wildcard; this acknowledgement names exactly it.
   */
  #acknowledgePattern(grantee: IGrantable, patterns: Array<'machines' | 'executions'>): void {
    const stack = Stack.of(this);
    const part = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
    const base = `arn:<AWS::Partition>:states:${part(stack.region, '<AWS::Region>')}:${part(stack.account, '<AWS::AccountId>')}`;
    const ids = patterns.map((p) =>
      p === 'machines'
        ? `AwsSolutions-IAM5[Resource::${base}:stateMachine:${this.namePrefix}*]`
        : `AwsSolutions-IAM5[Resource::${base}:execution:${this.namePrefix}*:*]`,
    );
    Validations.of(grantee.grantPrincipal as unknown as Construct).acknowledge(
      ...ids.map((id) => ({
        id,
        reason: `Only this stage's approval-chain machines (${this.namePrefix}*), which include versions published after deployment.`,
      })),
    );
  }

  /** Lets `grantee` start, stop, describe and signal executions of this stage's machines only. */
  grantRun(grantee: IGrantable, actions: Array<'start' | 'stop' | 'describe' | 'signal'>): void {
    const onMachines: string[] = [];
    const onExecutions: string[] = [];
    if (actions.includes('start')) onMachines.push('states:StartExecution');
    if (actions.includes('signal')) onMachines.push('states:SendTaskSuccess', 'states:SendTaskFailure');
    if (actions.includes('stop')) onExecutions.push('states:StopExecution');
    if (actions.includes('describe')) onExecutions.push('states:DescribeExecution');
    if (onMachines.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: onMachines, resources: [this.stateMachineArnPattern] }),
      );
    }
    if (onExecutions.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: onExecutions, resources: [this.executionArnPattern] }),
      );
    }
    this.#acknowledgePattern(grantee, [
      ...(onMachines.length > 0 ? (['machines'] as const) : []),
      ...(onExecutions.length > 0 ? (['executions'] as const) : []),
    ]);
  }

  /** Lets `grantee` create this stage's machines for newly published chain versions (and pass them the role). */
  grantPublish(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:CreateStateMachine', 'states:DescribeStateMachine', 'states:TagResource'],
        resources: [this.stateMachineArnPattern],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.role.roleArn] }),
    );
    this.#acknowledgePattern(grantee, ['machines']);
  }

  /** Everything the chain publisher reads from the environment. */
  publishEnvironment(): Record<string, string> {
    return {
      CALLBACK_TASK_FUNCTION_ARN: this.callbackTask.functionArn,
      FINISH_STAGE_FUNCTION_ARN: this.finishStage.functionArn,
      WORKFLOW_ROLE_ARN: this.role.roleArn,
      WORKFLOW_LOG_GROUP_ARN: this.logGroup.logGroupArn,
    };
  }
}

/**
 * One approval chain version deployed as a Step Functions Standard state machine: the very ASL the local runtime
 * runs (`chainToAslJson`), with its ARN placeholders filled by `definitionSubstitutions`; every event logged,
 * X-Ray on. A new chain version gets a new machine beside the old one, so running projects finish on their version.
 */
export class ApprovalWorkflow extends Construct {
  readonly chainKey: string;
  readonly stateMachineName: string;
  readonly stateMachine: StateMachine;
  readonly definitionJson: string;

  constructor(scope: Construct, id: string, props: { chain: Chain; workflows: ApprovalWorkflows }) {
    super(scope, id);
    const { workflows } = props;
    this.chainKey = chainKey(props.chain);
    this.stateMachineName = stateMachineName(workflows.namePrefix, this.chainKey);
    this.definitionJson = chainToAslJson(props.chain);
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      comment: `Daiban approval chain ${this.chainKey}`,
      role: workflows.role,
      // the service-integration ARNs in the stack's partition (arn:aws-cn:states::: in the China regions)
      definitionBody: DefinitionBody.fromString(
        aslInPartition(this.definitionJson, `\${${PARTITION_PLACEHOLDER}}`),
      ),
      definitionSubstitutions: {
        [PARTITION_PLACEHOLDER]: Aws.PARTITION,
        [AslSubstitutions.callbackTaskFunctionArn]: workflows.callbackTask.functionArn,
        [AslSubstitutions.finishStageFunctionArn]: workflows.finishStage.functionArn,
      },
      logs: { destination: workflows.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: workflows.tracing,
    });
  }
}
