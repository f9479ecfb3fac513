import { afterEach, describe, expect, it } from 'vitest';
import { assertJava17 } from '../../infra/local/dynamodb-local.js';

describe('the Java check before DynamoDB Local starts', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('says what to install when java is not on the PATH', () => {
    process.env.PATH = '/nonexistent';
    expect(() => assertJava17()).toThrow(
      /needs Java 17 or newer.*apt-get install -y openjdk-17-jre-headless/s,
    );
  });

  it('passes on this machine, which has Java 17+', () => {
    expect(() => assertJava17()).not.toThrow();
  });
});
