import { ArnFormat, Names, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type Chain, chainKey } from '../../../shared/domain/chain.js';
import { chainToAslJson } from '../../../shared/workflow/asl.js';
import { AslSubstitutions } from '../../../shared/workflow/task-contract.js';

export type ApprovalWorkflowProps = {
  chain: Chain;
  /** the callback task Lambda (`${CallbackTaskFunctionArn}` in the generated ASL) */
  callbackTask: IFunction;
  /** the finish Lambda (`${FinishProjectFunctionArn}`) */
  finishProject: IFunction;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
};

/**
 * One approval chain deployed as a Step Functions Standard state machine: the very ASL the local runtime runs
 * (`chainToAslJson`), with its ARN placeholders filled by `definitionSubstitutions`; every event logged, X-Ray on.
 *
 * Breaking the circular dependency: the state machine refers to the task functions (substitutions), and the
 * task functions must be allowed to signal the state machine (and the API to start it). If they took the
 * resource's `Ref`, CloudFormation would see function → state machine → function. So the state machine gets a
 * name chosen here by CDK (`Names.uniqueResourceName`: the stack name, which carries the stage, the construct
 * path and a hash — not hard-coded, unique per stage and region), and {@link stateMachineArn} is built from that
 * name with `Stack.formatArn`. Grants and environment variables use that string, which depends on no resource;
 * the test suite checks it equals the deployed state machine's ARN.
 *
 * The construct id is the state machine's identity: renaming it replaces the state machine. A new chain version
 * gets a new construct (and state machine) beside the old one, so running projects finish on their version.
 */
export class ApprovalWorkflow extends Construct {
  readonly chainKey: string;
  readonly stateMachineName: string;
  /** This state machine's ARN, built from its name (see the class comment): safe to hand to the functions. */
  readonly stateMachineArn: string;
  readonly stateMachine: StateMachine;
  readonly definitionJson: string;

  constructor(scope: Construct, id: string, props: ApprovalWorkflowProps) {
    super(scope, id);
    this.chainKey = chainKey(props.chain);
    this.stateMachineName = Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
    this.stateMachineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.definitionJson = chainToAslJson(props.chain);

    // The /aws/vendedlogs/ prefix keeps Step Functions from growing the account's log resource policy.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      comment: `Daiban approval chain ${this.chainKey}`,
      definitionBody: DefinitionBody.fromString(this.definitionJson),
      definitionSubstitutions: {
        [AslSubstitutions.callbackTaskFunctionArn]: props.callbackTask.functionArn,
        [AslSubstitutions.finishProjectFunctionArn]: props.finishProject.functionArn,
      },
      logs: { destination: executionLogs, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // The definition invokes the unqualified function ARNs only: no `:*` (version/alias) wildcard needed.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [props.callbackTask.functionArn, props.finishProject.functionArn],
      }),
    );
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs delivery and X-Ray actions for Step Functions support no resource-level permissions.',
    });
  }

  /** Lets `grantee` start executions of this state machine only. */
  grantStartExecution(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }),
    );
  }

  /** Lets `grantee` complete (or fail) the callback tasks of this state machine only. */
  grantTaskResponse(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [this.stateMachineArn],
      }),
    );
  }
}
