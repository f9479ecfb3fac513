import { allows, type DeployedTemplates } from './iam-policy.js';

/** One request an SDK client made (or would have made), as a test recorded it. */
export type AwsRequest = {
  /** whose role signs it: the function's construct id (`Api`, `CallbackTask`…) or `Workflows` (the machines) */
  caller: string;
  service: 'dynamodb' | 'states' | 'secretsmanager' | 'events' | 'sns' | 'lambda';
  /** the API operation, e.g. `TransactWriteItems`, `SendTaskSuccess` */
  operation: string;
  input: Record<string, any>;
};

/** What IAM checks for a request: an action on a resource (a request may need several). */
export type Permission = { action: string; resource: string };

const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/**
 * The actions and resources IAM authorizes a request by (the Service Authorization Reference): a transaction needs
 * each of its items' own actions, a query on an index the index's ARN, a callback signal its state machine's ARN
 * (`machineOfToken` names it).
 */
export function permissionsOf(
  request: AwsRequest,
  deployed: DeployedTemplates,
  machineOfToken: (taskToken: string) => string,
): Permission[] {
  const { service, operation, input } = request;
  const table = (name: string) =>
    name.startsWith('arn:') ? name : deployed.arn('dynamodb', `table/${name}`);
  switch (service) {
    case 'dynamodb': {
      const action = `dynamodb:${operation}`;
      if (operation === 'TransactWriteItems') {
        return (input.TransactItems as Array<Record<string, { TableName: string }>>).flatMap((item) =>
          Object.entries(item).map(([kind, body]) => {
            const itemAction = TRANSACT_ACTIONS[kind];
            if (!itemAction) throw new Error(`unknown transaction item ${kind}`);
            return { action: itemAction, resource: table(body.TableName) };
          }),
        );
      }
      if (operation === 'TransactGetItems') {
        return (input.TransactItems as Array<{ Get: { TableName: string } }>).map((item) => ({
          action: 'dynamodb:GetItem',
          resource: table(item.Get.TableName),
        }));
      }
      if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
        return Object.keys(input.RequestItems as object).map((name) => ({ action, resource: table(name) }));
      }
      const resource = table(String(input.TableName));
      return [{ action, resource: input.IndexName ? `${resource}/index/${input.IndexName}` : resource }];
    }
    case 'states': {
      const action = `states:${operation}`;
      switch (operation) {
        case 'StartExecution':
        case 'DescribeStateMachine':
          return [{ action, resource: String(input.stateMachineArn) }];
        case 'CreateStateMachine':
          return [
            { action, resource: deployed.arn('states', `stateMachine:${input.name}`) },
            { action: 'iam:PassRole', resource: String(input.roleArn) },
          ];
        case 'StopExecution':
        case 'DescribeExecution':
          return [{ action, resource: String(input.executionArn) }];
        case 'SendTaskSuccess':
        case 'SendTaskFailure':
        case 'SendTaskHeartbeat':
          return [{ action, resource: machineOfToken(String(input.taskToken)) }];
        default:
          throw new Error(`no IAM mapping for states:${operation}`);
      }
    }
    case 'secretsmanager':
      return [{ action: `secretsmanager:${operation}`, resource: String(input.SecretId) }];
    case 'events':
      return (input.Entries as Array<{ EventBusName?: string }>).map((entry) => {
        const bus = entry.EventBusName ?? 'default';
        return {
          action: 'events:PutEvents',
          resource: bus.startsWith('arn:') ? bus : deployed.arn('events', `event-bus/${bus}`),
        };
      });
    case 'sns':
      return [{ action: `sns:${operation}`, resource: String(input.TopicArn) }];
    case 'lambda':
      return [{ action: `lambda:${operation}`, resource: String(input.FunctionName) }];
  }
}

/** A request its caller's role does not allow, with the permission IAM would refuse. */
export type Denial = { caller: string; operation: string; action: string; resource: string };

/**
 * The requests their callers' roles would be refused (empty when the policies allow everything recorded).
 * `roles` maps each caller to its role's logical id in the templates; an unknown caller is itself a denial.
 */
export function deniedRequests(
  requests: readonly AwsRequest[],
  deployed: DeployedTemplates,
  roles: Record<string, string>,
  machineOfToken: (taskToken: string) => string,
): Denial[] {
  const statements = new Map(
    Object.entries(roles).map(([caller, role]) => [caller, deployed.statementsOfRole(role)]),
  );
  const denials = new Map<string, Denial>();
  for (const request of requests) {
    const own = statements.get(request.caller) ?? [];
    for (const { action, resource } of permissionsOf(request, deployed, machineOfToken)) {
      if (!allows(own, action, resource)) {
        const denial = { caller: request.caller, operation: request.operation, action, resource };
        denials.set(JSON.stringify(denial), denial);
      }
    }
  }
  return [...denials.values()];
}
