/**
 * The AWS partitions Daiban deploys to, and what each offers of what Daiban uses. A Chinese district's data may have
 * to stay in China: the Beijing (cn-north-1) and Ningxia (cn-northwest-1) regions form the `aws-cn` partition, with
 * their own accounts, ARNs (`arn:aws-cn:`) and endpoints (`amazonaws.com.cn`), and not every service or feature.
 * docs/deploy-aws.md has the table with its sources; change both together.
 */
export type Partition = 'aws' | 'aws-cn';
export const PARTITIONS: readonly Partition[] = ['aws', 'aws-cn'];

/** The regions of the China partition. */
export const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;

export type PartitionFeatures = {
  partition: Partition;
  /** EventBridge Scheduler for the every-minute job; else an EventBridge rule on a schedule (same target) */
  eventBridgeScheduler: boolean;
  /** X-Ray active tracing of Lambda functions ("not available in the China Regions") */
  lambdaXRay: boolean;
  /** X-Ray tracing of Step Functions state machines (the China page lists no X-Ray difference for Step Functions) */
  stepFunctionsXRay: boolean;
  /** Lambda on Graviton (arm64); x86_64 where its availability is not documented */
  lambdaArm64: boolean;
};

const FEATURES: Record<Partition, PartitionFeatures> = {
  aws: {
    partition: 'aws',
    eventBridgeScheduler: true,
    lambdaXRay: true,
    stepFunctionsXRay: true,
    lambdaArm64: true,
  },
  'aws-cn': {
    partition: 'aws-cn',
    eventBridgeScheduler: false,
    lambdaXRay: false,
    stepFunctionsXRay: true,
    lambdaArm64: false,
  },
};

export const featuresOf = (partition: Partition): PartitionFeatures => FEATURES[partition];

/**
 * The partition of a deployment: `-c partition=…` if given, else the region's (`cn-…` is `aws-cn`), else `aws`.
 * A partition that contradicts the region is refused, naming both.
 */
export function partitionFor(region: string | undefined, requested: string | undefined): Partition {
  const ofRegion: Partition | undefined = region ? (region.startsWith('cn-') ? 'aws-cn' : 'aws') : undefined;
  if (requested !== undefined && !PARTITIONS.includes(requested as Partition)) {
    throw new Error(`partition "${requested}" must be one of ${PARTITIONS.join(', ')}`);
  }
  const partition = (requested as Partition | undefined) ?? ofRegion ?? 'aws';
  if (ofRegion && ofRegion !== partition) {
    throw new Error(
      `region ${region} is in the ${ofRegion} partition, not ${partition}: use ${partition === 'aws-cn' ? CHINA_REGIONS.join(' or ') : 'a region outside China'}`,
    );
  }
  return partition;
}
