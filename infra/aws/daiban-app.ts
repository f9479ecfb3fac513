import { type App, type Environment, Tags } from 'aws-cdk-lib';
import type { DaibanConfig } from '../../shared/app/context.js';
import type { Chain } from '../../shared/domain/chain.js';
import { validateChain } from '../../shared/domain/chain-validation.js';
import { checkTimeZone, DEFAULT_TIME_ZONE } from '../../shared/domain/local-time.js';
import { referenceDepartments } from '../../shared/domain/reference/departments.js';
import { referenceChainVersions } from '../../shared/domain/reference/industrial-chain.js';
import { featuresOf, type Partition, partitionFor } from './partition.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export type DaibanAppOptions = {
  /** `dev`, `test`, `prod`…: part of every stack name, so stages share an account */
  stage: string;
  env?: Environment;
  chains: readonly Chain[];
  config: DaibanConfig;
  /** `aws` or `aws-cn` (Beijing, Ningxia): decides the features used where one is missing (partition.ts) */
  partition: Partition;
  alarmTopicArn?: string;
  /** the service centre's time zone for every date people read (DAIBAN_TIME_ZONE; default Asia/Shanghai) */
  timeZone?: string;
};

/** The chains deployed by default: the validated 40-step reference chain (the same the local runtime seeds). */
export const defaultChains = (): Chain[] =>
  referenceChainVersions.map((version) => validateChain(version, referenceDepartments));

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,15}$/;

const contextString = (app: App, key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/**
 * Options from CDK context (`-c stage=prod -c region=cn-northwest-1 …` or cdk.json) and the CLI's default
 * account/region. Context keys: stage, region, partition (aws|aws-cn; by default the region's), regionCode,
 * industryCode, typeCode, alarmTopicArn, timeZone (an IANA zone, Asia/Shanghai by default).
 */
export function appOptionsFromContext(app: App): DaibanAppOptions {
  const stage = contextString(app, 'stage') ?? 'dev';
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(
      `stage "${stage}" must be 1-16 lowercase letters, digits or dashes, starting with a letter`,
    );
  }
  const region = contextString(app, 'region') ?? process.env.CDK_DEFAULT_REGION;
  const partition = partitionFor(region, contextString(app, 'partition'));
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  return {
    stage,
    env: region || account ? { region, account } : undefined,
    chains: defaultChains(),
    config: {
      regionCode: contextString(app, 'regionCode') ?? '320115',
      industryCode: contextString(app, 'industryCode') ?? '39',
      typeCode: contextString(app, 'typeCode') ?? '01',
    },
    partition,
    alarmTopicArn: contextString(app, 'alarmTopicArn'),
    timeZone: checkTimeZone(contextString(app, 'timeZone') ?? DEFAULT_TIME_ZONE),
  };
}

/**
 * Adds the two Daiban stacks of a stage to an app: `Daiban-<stage>-Stateful` (table, retained; the token-signing
 * key) and
 * `Daiban-<stage>-Stateless` (functions, state machines, API, alarms, dashboard).
 */
export function addDaibanStacks(
  app: App,
  options: DaibanAppOptions,
): { stateful: StatefulStack; stateless: StatelessStack } {
  const prefix = `Daiban-${options.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env: options.env,
    stage: options.stage,
    description: `Daiban ${options.stage}: table (retained on deletion) and the session token signing key`,
    terminationProtection: options.stage === 'prod',
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env: options.env,
    stage: options.stage,
    table: stateful.table,
    signingKey: stateful.signingKey,
    cursorKey: stateful.cursorKey,
    features: featuresOf(options.partition),
    chains: options.chains,
    config: options.config,
    alarmTopicArn: options.alarmTopicArn,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    description: `Daiban ${options.stage}: functions, state machines, HTTP API, alarms and dashboard`,
  });
  Tags.of(app).add('project', 'daiban');
  Tags.of(app).add('stage', options.stage);
  Tags.of(app).add('partition', options.partition);
  return { stateful, stateless };
}
