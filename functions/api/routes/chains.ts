import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { previewChainVersion } from '../../../shared/app/chain-preview.js';
import {
  CHAIN_SCHEMA_ID,
  chainJsonSchema,
  chainOpenApiComponents,
} from '../../../shared/domain/chain-schema.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, json } from '../openapi.js';

const ProblemSchema = z.object({
  en: z.string().openapi({ example: '互为前置: step 16 ↔ step 23' }),
  zh: z.string().openapi({ example: '步骤 16（施工图审查）与步骤 23（施工许可）互为前置' }),
});
const FieldChangeSchema = z.object({ field: z.string(), before: z.string(), after: z.string() });
const StepRefSchema = z.object({ stepId: z.string(), name: z.string(), stageId: z.string() });

export const ChainPreviewSchema = z.object({
  key: z.string().optional().openapi({ description: 'chain id @ version, once the body reads as a chain' }),
  publishable: z.boolean().openapi({ description: 'POST /chains would accept this body (no problems)' }),
  problems: z.array(ProblemSchema).openapi({
    description: 'every problem, in English and in Chinese naming the step; cycles as 互为前置',
  }),
  criticalPath: z
    .object({
      workingDays: z.number().int(),
      criticalSteps: z.array(z.string()),
      stages: z.array(
        z.object({ stageId: z.string(), workingDays: z.number().int(), criticalSteps: z.array(z.string()) }),
      ),
      seriesWorkingDays: z.number().int(),
      legalWorkingDays: z.number().int(),
      targetWorkingDays: z.number().int(),
    })
    .optional()
    .openapi({ description: 'the longest path by promised limits (working days), stage by stage' }),
  svg: z
    .string()
    .optional()
    .openapi({ description: 'the stages and steps as a graph (SVG), critical path in red' }),
  diff: z
    .object({
      baseVersion: z.number().int().optional(),
      added: z.array(StepRefSchema),
      removed: z.array(StepRefSchema),
      changed: z.array(StepRefSchema.extend({ changes: z.array(FieldChangeSchema) })),
      stages: z.object({
        added: z.array(z.string()),
        removed: z.array(z.string()),
        changed: z.array(z.object({ stageId: z.string(), changes: z.array(FieldChangeSchema) })),
      }),
      chain: z.array(FieldChangeSchema),
    })
    .optional()
    .openapi({
      description: 'the differences from the version in force (every step added when there is none)',
    }),
  projects: z
    .array(
      z.object({
        chainId: z.string(),
        version: z.number().int(),
        inFlight: z.number().int(),
        completed: z.number().int(),
        withdrawn: z.number().int(),
      }),
    )
    .openapi({
      description: 'projects on each published version of this chain; projects in flight keep theirs',
    }),
});

/**
 * The body of POST /chains and /chains/preview: read as any object here (the use case validates it and lists every
 * problem at once), documented as a chain (`components.schemas.Chain`, the format GET /chains/schema.json gives).
 */
export const ChainBodySchema = z.record(z.string(), z.unknown()).openapi({
  description:
    'an approval chain version: see components.schemas.Chain, GET /chains/schema.json and docs/chain-format.md',
  allOf: [{ $ref: '#/components/schemas/Chain' }],
});

/** The chain format (JSON Schema, public) and the admin's preview of a chain version before publishing it. */
export function chainRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  for (const [name, schema] of Object.entries(chainOpenApiComponents())) {
    app.openAPIRegistry.registerComponent('schemas', name, schema);
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/chains/schema.json',
      responses: {
        400: errorResponses[400],
        200: {
          description: `the chain format as a JSON Schema (draft 2020-12, $id ${CHAIN_SCHEMA_ID}): what POST /chains takes, every field explained; see docs/chain-format.md`,
          // the schema of chains is in components.schemas.Chain; this answer is that schema, not a chain
          content: { 'application/schema+json': { schema: z.record(z.string(), z.unknown()) } },
        },
      },
    }),
    async (c) => {
      // typed as never: the content type's "json" makes Hono expect c.json, and the schema names its own type
      return c.body(JSON.stringify(chainJsonSchema(), null, 2), 200, {
        'Content-Type': 'application/schema+json; charset=utf-8',
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/chains/preview',
      security: bearer,
      request: {
        body: {
          required: true,
          description: 'a chain version as POST /chains takes it (components/schemas/Chain)',
          content: { 'application/json': { schema: ChainBodySchema } },
        },
      },
      responses: {
        200: json(
          'what publishing this body would do: its problems, critical path, picture and differences; nothing is stored (a body that does not read as a chain at all is a 400 CHAIN.INVALID listing every problem, as POST /chains answers)',
          ChainPreviewSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { chain: _chain, ...preview } = await previewChainVersion(
        deps.ctx,
        c.get('principal'),
        c.req.valid('json'),
        'refuse',
      );
      return c.json(preview, 200);
    },
  );

  return app;
}
