import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { RoleSchema } from '../../shared/domain/principal.js';
import { TableIndexes, TableKeys } from '../../shared/store/table.js';

/** Custom attributes carrying the principal the API expects (`shared/auth/claims.ts` reads `custom:<name>`). */
export const PRINCIPAL_ATTRIBUTES = {
  /** the user id the domain knows (an agent's id, e.g. `agent-wang`); defaults to `sub` when absent */
  userId: 64,
  /** optional: the role, when not given by a group */
  role: 16,
  /** officers: the department they decide for (e.g. `DRC`) */
  departmentId: 16,
  /** investors: the enterprise's unified social credit code */
  enterpriseId: 18,
} as const;

export type StatefulStackProps = StackProps & {
  stage: string;
  /** `required` (production default) or `optional` TOTP multi-factor sign-in */
  mfa: 'required' | 'optional';
};

/**
 * What holds data and identities, deployed apart from the code so code can be torn down and redeployed freely:
 * the single DynamoDB table (keys and indexes from `shared/store/table.ts`, like the local runtime's) and the
 * Cognito user pool whose groups and attributes carry the principal. Both are retained on stack deletion.
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TableKeys.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Idempotency records and other short-lived settings carry `expiresAt` (epoch seconds).
      timeToLiveAttribute: 'expiresAt',
    });
    for (const index of TableIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        // what each index copies is fixed at its creation: see table.ts before changing a list
        ...(index.projection === 'KEYS_ONLY'
          ? { projectionType: ProjectionType.KEYS_ONLY }
          : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.nonKeyAttributes] }),
      });
    }

    this.userPool = new UserPool(this, 'Users', {
      // Accounts are made by an administrator (staff, agents and investors are known people), never self-service.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        fullname: { required: true, mutable: true },
        email: { required: true, mutable: true },
      },
      customAttributes: Object.fromEntries(
        Object.entries(PRINCIPAL_ATTRIBUTES).map(([name, maxLen]) => [
          name,
          new StringAttribute({ minLen: 1, maxLen, mutable: true }),
        ]),
      ),
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: props.mfa === 'required' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan is billed per monthly active user; staff accounts are admin-created with strong passwords and TOTP, so Essentials is enough until threat protection is asked for.',
    });
    if (props.mfa === 'optional') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: `Stage ${props.stage} makes MFA optional so test users can be scripted; production requires TOTP (-c mfa=required).`,
      });
    }

    for (const role of RoleSchema.options) {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: `Daiban role ${role}; the API reads it from cognito:groups`,
      });
    }

    const customAttributeNames = Object.keys(PRINCIPAL_ATTRIBUTES);
    this.userPoolClient = this.userPool.addClient('WebClient', {
      // A browser or CLI client: no secret (it could not be kept).
      generateSecret: false,
      // No hosted UI or OAuth flows (and so no implicit grant) until a web client needs them.
      disableOAuth: true,
      authFlows: { userSrp: true, adminUserPassword: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ fullname: true, email: true, emailVerified: true })
        .withCustomAttributes(...customAttributeNames),
      // Users may change their name and e-mail but never their role, department, enterprise or user id:
      // those custom attributes are authorization data, set only by an administrator.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true, email: true }),
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'the Daiban table' });
    new CfnOutput(this, 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: 'the Cognito user pool',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.userPoolClient.userPoolClientId,
      description: 'the app client (the API accepts its ID tokens)',
    });
  }
}
