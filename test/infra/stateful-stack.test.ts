import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexDefinition } from '../../shared/store/create-table.js';
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
  // the functions' code is no concern of the stateful stack: no bundling
  synth = synthDaiban({ bundle: false });
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
    expect(table.GlobalSecondaryIndexes).toEqual(TableIndexes.map(indexDefinition));
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

  it("has no Cognito: users, roles and password hashes live in the table (the product's own sign-in)", () => {
    // Act
    const cognito = Object.values(
      synth.statefulTemplate.toJSON().Resources as Record<string, { Type: string }>,
    )
      .map((resource) => resource.Type)
      .filter((type) => type.startsWith('AWS::Cognito::'));

    // Assess
    expect(cognito).toEqual([]);
  });

  it('generates the session token signing key in Secrets Manager: 64 letters and digits, exported by ARN', () => {
    // Assess
    synth.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        PasswordLength: 64,
        ExcludePunctuation: true,
        IncludeSpace: false,
      }),
    });
    // the token-signing key and the page-cursor key, neither with a fixed name
    synth.statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
    expect(Object.keys(synth.statefulTemplate.findOutputs('SigningKeySecretArn'))).toHaveLength(1);
    for (const secret of Object.values(synth.statefulTemplate.findResources('AWS::SecretsManager::Secret'))) {
      expect(secret).not.toHaveProperty('Properties.Name');
      expect(secret).toHaveProperty('Properties.GenerateSecretString.PasswordLength', 64);
    }
  });
});
