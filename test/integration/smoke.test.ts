import { describe, expect, inject, it } from 'vitest';

describe('test setup', () => {
  it('provides a DynamoDB Local endpoint', () => {
    expect(inject('dynamoEndpoint')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
