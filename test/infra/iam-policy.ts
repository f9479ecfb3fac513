/**
 * What a synthesized template lets a role do, for tests that check real requests against it: the template's
 * intrinsic functions resolved to the names and ARNs one deployment would have (`DeployedTemplates`), and a
 * matcher of an action on a resource against a role's statements (`allows`), with IAM's wildcards.
 */

export type CfnTemplate = {
  Resources?: Record<string, { Type: string; Properties?: Record<string, any> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
};

/** One deployment's place: partition, region, account. */
export type Place = { partition: string; region: string; account: string; urlSuffix?: string };

/** A policy statement with its actions and resources resolved to strings. */
export type ResolvedStatement = {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
  /** a statement with a condition is never taken as allowing (the tests cannot evaluate one) */
  conditional: boolean;
};

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** IAM's wildcards: `*` any run of characters, `?` one character. Actions ignore case, resources do not. */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/**
 * Whether statements allow `action` on `resource`: some Allow statement (without a condition) names both, and no
 * Deny statement does. As IAM decides it for an identity policy (no resource policy, no boundary).
 */
export function allows(statements: readonly ResolvedStatement[], action: string, resource: string): boolean {
  const names = (s: ResolvedStatement) =>
    s.actions.some((a) => wildcardMatches(a, action, true)) &&
    s.resources.some((r) => wildcardMatches(r, resource));
  if (statements.some((s) => s.effect === 'Deny' && names(s))) return false;
  return statements.some((s) => s.effect === 'Allow' && !s.conditional && names(s));
}

/**
 * The two templates of a stage resolved as one deployment would have them: every `Ref`, `Fn::GetAtt`,
 * `Fn::ImportValue` and `Fn::Join` becomes the name or ARN of a resource, named after its logical id (or its
 * physical name where the template gives one, or `physicalNames` where the test chooses one, e.g. the table).
 */
export class DeployedTemplates {
  readonly #templates: CfnTemplate[];
  readonly #place: Required<Place>;
  readonly #physicalNames: Record<string, string>;

  constructor(templates: CfnTemplate[], place: Place, physicalNames: Record<string, string> = {}) {
    this.#templates = templates;
    this.#place = { urlSuffix: 'amazonaws.com', ...place };
    this.#physicalNames = physicalNames;
  }

  /** A resource by logical id, in whichever template holds it. */
  resource(logicalId: string): { Type: string; Properties?: Record<string, any> } {
    for (const template of this.#templates) {
      const found = template.Resources?.[logicalId];
      if (found) return found;
    }
    throw new Error(`no resource ${logicalId} in the templates`);
  }

  resourcesOfType(type: string): Array<[string, { Type: string; Properties?: Record<string, any> }]> {
    return this.#templates.flatMap((t) =>
      Object.entries(t.Resources ?? {}).filter(([, r]) => r.Type === type),
    );
  }

  /** The statements of every AWS::IAM::Policy attached to a role, resolved. */
  statementsOfRole(roleLogicalId: string): ResolvedStatement[] {
    return this.resourcesOfType('AWS::IAM::Policy')
      .filter(([, policy]) =>
        asArray(policy.Properties?.Roles ?? []).some(
          (role: unknown) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
        ),
      )
      .flatMap(([, policy]) => asArray(policy.Properties?.PolicyDocument?.Statement ?? []))
      .map((statement: Record<string, unknown>) => ({
        effect: statement.Effect as 'Allow' | 'Deny',
        actions: asArray(statement.Action as string | string[]),
        resources: asArray(statement.Resource).map((r) => this.string(r)),
        conditional: statement.Condition !== undefined,
      }));
  }

  /** A value of the template resolved to a string. */
  string(value: unknown): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string') throw new Error(`${JSON.stringify(value)} is not a string`);
    return resolved;
  }

  /** A value of the template with every intrinsic function it uses resolved. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
      const [fn, args] = first;
      switch (fn) {
        case 'Ref':
          return this.#ref(String(args));
        case 'Fn::GetAtt': {
          const [id, attribute] = args as [string, string];
          return this.#getAtt(id, attribute);
        }
        case 'Fn::ImportValue':
          return this.#import(this.string(args));
        case 'Fn::Join': {
          const [separator, parts] = args as [string, unknown[]];
          return parts.map((p) => this.string(p)).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = args as [number, unknown];
          return (this.resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, source] = args as [string, unknown];
          return this.string(source).split(separator);
        }
        default:
          throw new Error(`the test cannot resolve ${fn}`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  /** An ARN of this deployment: `arn:<partition>:<service>:<region>:<account>:<rest>`. */
  arn(service: string, rest: string, options: { regional?: boolean } = {}): string {
    const { partition, region, account } = this.#place;
    return `arn:${partition}:${service}:${options.regional === false ? '' : region}:${account}:${rest}`;
  }

  #name(logicalId: string, property?: string): string {
    const given = property ? this.resource(logicalId).Properties?.[property] : undefined;
    return this.#physicalNames[logicalId] ?? (typeof given === 'string' ? given : logicalId);
  }

  #ref(id: string): string {
    const { partition, region, account, urlSuffix } = this.#place;
    const pseudo: Record<string, string> = {
      'AWS::Partition': partition,
      'AWS::Region': region,
      'AWS::AccountId': account,
      'AWS::URLSuffix': urlSuffix,
    };
    const known = pseudo[id];
    if (known !== undefined) return known;
    const { Type } = this.resource(id);
    switch (Type) {
      case 'AWS::DynamoDB::Table':
        return this.#name(id, 'TableName');
      case 'AWS::SecretsManager::Secret':
        // Secrets Manager appends six random characters to a secret's name in its ARN
        return this.arn('secretsmanager', `secret:${id}-AbCdEf`);
      case 'AWS::SNS::Topic':
        return this.arn('sns', this.#name(id, 'TopicName'));
      case 'AWS::Events::EventBus':
        return this.#name(id, 'Name');
      case 'AWS::Lambda::Function':
        return this.#name(id, 'FunctionName');
      case 'AWS::IAM::Role':
        return this.#name(id, 'RoleName');
      case 'AWS::Logs::LogGroup':
        return this.#name(id, 'LogGroupName');
      case 'AWS::StepFunctions::StateMachine':
        return this.arn('states', `stateMachine:${this.#name(id, 'StateMachineName')}`);
      default:
        throw new Error(`the test cannot resolve Ref ${id} (${Type})`);
    }
  }

  #getAtt(id: string, attribute: string): string {
    const { Type } = this.resource(id);
    const key = `${Type}.${attribute}`;
    switch (key) {
      case 'AWS::DynamoDB::Table.Arn':
        return this.arn('dynamodb', `table/${this.#ref(id)}`);
      case 'AWS::Lambda::Function.Arn':
        return this.arn('lambda', `function:${this.#ref(id)}`);
      case 'AWS::IAM::Role.Arn':
        return this.arn('iam', `role/${this.#ref(id)}`, { regional: false });
      case 'AWS::Events::EventBus.Arn':
        return this.arn('events', `event-bus/${this.#ref(id)}`);
      case 'AWS::Events::EventBus.Name':
        return this.#ref(id);
      case 'AWS::Logs::LogGroup.Arn':
        return this.arn('logs', `log-group:${this.#ref(id)}:*`);
      case 'AWS::SNS::Topic.TopicArn':
        return this.#ref(id);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.#ref(id);
      default:
        throw new Error(`the test cannot resolve Fn::GetAtt ${id}.${attribute} (${Type})`);
    }
  }

  #import(exportName: string): unknown {
    for (const template of this.#templates) {
      for (const output of Object.values(template.Outputs ?? {})) {
        if (output.Export && this.resolve(output.Export.Name) === exportName)
          return this.resolve(output.Value);
      }
    }
    throw new Error(`no template exports ${exportName}`);
  }
}
