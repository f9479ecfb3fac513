import { z } from 'zod';
import { ChainSchema } from './chain.js';

/**
 * The chain format as a published JSON Schema (draft 2020-12), generated from the zod schema `POST /chains`
 * validates with, so the two never drift. It describes what an author writes (defaults may be left out); what the
 * schema cannot say (departments known, prerequisites in this or an earlier stage, no cycles 互为前置, limits of a
 * joint review's parts) is checked on publishing and listed by the preview.
 */

/** A name, not an address: the schema is served at GET /chains/schema.json of each installation. */
export const CHAIN_SCHEMA_ID = 'urn:daiban:schema:chain';

/** The recursive rule of applicability and heldBy, named in `$defs`. */
export const APPLICABILITY_RULE_DEF = 'ApplicabilityRule';

const RULE_DESCRIPTION =
  'A rule over the project attributes the chain declares. One of: {attribute, equals} (same type as the ' +
  'attribute), {attribute, in: [..]} (string or number attribute), {attribute, atLeast: n} / {attribute, below: n} ' +
  '(number attribute), {all: [rules]}, {any: [rules]}, {not: rule}. ' +
  'Example: {"any": [{"attribute": "hazardousWorks", "equals": true}, {"attribute": "siteAreaM2", "atLeast": 50000}]}';

type JsonSchema = Record<string, unknown>;

/** Renames zod's generated `$defs` name of the applicability rule (`__schema0`) to a readable one. */
function named(schema: JsonSchema): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const generated = Object.keys(defs).filter((k) => k.startsWith('__schema'));
  if (generated.length !== 1) return schema;
  const [from] = generated as [string];
  const text = JSON.stringify(schema).replaceAll(`"#/$defs/${from}"`, `"#/$defs/${APPLICABILITY_RULE_DEF}"`);
  const renamed = JSON.parse(text) as JsonSchema;
  const renamedDefs = renamed.$defs as Record<string, JsonSchema>;
  const { [from]: rule, ...rest } = renamedDefs;
  renamed.$defs = { ...rest, [APPLICABILITY_RULE_DEF]: { description: RULE_DESCRIPTION, ...rule } };
  return renamed;
}

let cached: JsonSchema | undefined;

/** The JSON Schema of an approval chain as an author writes it (fields with defaults are optional). */
export function chainJsonSchema(): JsonSchema {
  cached ??= named({
    ...z.toJSONSchema(ChainSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: CHAIN_SCHEMA_ID,
    title: 'Daiban approval chain (审批流程)',
  });
  return structuredClone(cached);
}

/**
 * The same schema for an OpenAPI document's `components.schemas`: its `$defs` become components of their own
 * (`<prefix><name>`), since a `#/$defs/..` reference inside a component would point at the document's root.
 */
export function chainOpenApiComponents(prefix = 'Chain'): Record<string, JsonSchema> {
  const { $schema: _s, $id: _i, $defs, ...root } = chainJsonSchema();
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const rewrite = (value: JsonSchema): JsonSchema =>
    JSON.parse(
      JSON.stringify(value).replace(/"#\/\$defs\/([A-Za-z0-9_]+)"/g, `"#/components/schemas/${prefix}$1"`),
    ) as JsonSchema;
  const components: Record<string, JsonSchema> = { [prefix]: rewrite(root) };
  for (const [name, def] of Object.entries(defs)) components[`${prefix}${name}`] = rewrite(def);
  return components;
}
