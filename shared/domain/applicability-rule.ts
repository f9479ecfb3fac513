import { z } from 'zod';

/**
 * A rule over project attributes that decides whether a step applies to a project.
 * A step whose rule is false is closed as `not_applicable` when the project is created.
 *
 * @example { any: [{ attribute: 'hazardousWorks', equals: true }, { attribute: 'siteAreaM2', atLeast: 50000 }] }
 */
export type ApplicabilityRule =
  | { attribute: string; equals: string | number | boolean }
  | { attribute: string; in: Array<string | number> }
  | { attribute: string; atLeast: number }
  | { attribute: string; below: number }
  | { all: ApplicabilityRule[] }
  | { any: ApplicabilityRule[] }
  | { not: ApplicabilityRule };

const AttributeName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/);

export const ApplicabilityRuleSchema: z.ZodType<ApplicabilityRule> = z.lazy(() =>
  z.union([
    z.strictObject({ attribute: AttributeName, equals: z.union([z.string(), z.number(), z.boolean()]) }),
    z.strictObject({ attribute: AttributeName, in: z.array(z.union([z.string(), z.number()])).min(1) }),
    z.strictObject({ attribute: AttributeName, atLeast: z.number() }),
    z.strictObject({ attribute: AttributeName, below: z.number() }),
    z.strictObject({ all: z.array(ApplicabilityRuleSchema).min(1) }),
    z.strictObject({ any: z.array(ApplicabilityRuleSchema).min(1) }),
    z.strictObject({ not: ApplicabilityRuleSchema }),
  ]),
);
