import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_ATTRIBUTES } from '../../infra/aws/stateful-stack.js';
import { RoleSchema } from '../../shared/domain/principal.js';
import { TableIndexes, TableKeys } from '../../shared/store/table.js';
import { type SynthesizedDaiban, synthDaiban } from './synth-daiban.js';

type TableProperties = {
  KeySchema: Array<{ AttributeName: string; KeyType: string }>;
  GlobalSecondaryIndexes: Array<{
    IndexName: string;
    KeySchema: Array<{ AttributeName: string; KeyType: string }>;
    Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  }>;
  AttributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
};

let synth: SynthesizedDaiban;
beforeAll(() => {
  synth = synthDaiban();
});

const onlyTable = () => {
  const tables = synth.statefulTemplate.findResources('AWS::DynamoDB::Table');
  expect(Object.keys(tables)).toHaveLength(1);
  return Object.values(tables)[0] as {
    Properties: TableProperties;
    DeletionPolicy: string;
    UpdateReplacePolicy: string;
  };
};

describe('the stateful stack', () => {
  it('builds the table with the keys and indexes of shared/store/table.ts, as the local runtime does', () => {
    // Act
    const table = onlyTable().Properties;

    // Assess
    expect(table.KeySchema).toEqual([
      { AttributeName: TableKeys.partitionKey, KeyType: 'HASH' },
      { AttributeName: TableKeys.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes).toEqual(
      TableIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: {
          ProjectionType: index.projection,
          ...('nonKeyAttributes' in index ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
        },
      })),
    );
    for (const definition of table.AttributeDefinitions) expect(definition.AttributeType).toBe('S');
  });

  it('bills on demand, keeps point-in-time recovery and deletion protection, and retains the table', () => {
    // Act
    const table = onlyTable();

    // Assess
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.Properties).not.toHaveProperty('TableName');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('has a user pool carrying the principal: custom attributes and one group per role', () => {
    // Assess
    synth.statefulTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        DeletionProtection: 'ACTIVE',
        MfaConfiguration: 'ON',
        Schema: Match.arrayWith(
          Object.keys(PRINCIPAL_ATTRIBUTES).map((name) =>
            Match.objectLike({ Name: name, AttributeDataType: 'String' }),
          ),
        ),
      }),
    });
    const groups = Object.values(synth.statefulTemplate.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => (group as { Properties: { GroupName: string } }).Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...RoleSchema.options].sort());
  });

  it('has an app client without a secret that cannot write the authorization attributes', () => {
    // Assess
    const clients = Object.values(synth.statefulTemplate.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const client = (clients[0] as { Properties: Record<string, unknown> }).Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toBeUndefined();
    expect(client.ReadAttributes).toEqual(
      expect.arrayContaining(Object.keys(PRINCIPAL_ATTRIBUTES).map((name) => `custom:${name}`)),
    );
    expect(client.WriteAttributes).toEqual(['email', 'name']);
  });

  it('makes MFA optional only when a stage asks for it', () => {
    // Act
    const optional = synthDaiban({ stage: 'demo', mfa: 'optional', bundle: false });

    // Assess
    optional.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
    });
  });
});
