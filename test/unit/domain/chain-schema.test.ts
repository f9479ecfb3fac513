import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  APPLICABILITY_RULE_DEF,
  chainJsonSchema,
  chainOpenApiComponents,
} from '../../../shared/domain/chain-schema.js';
import { validateChain } from '../../../shared/domain/chain-validation.js';
import { referenceDepartments } from '../../../shared/domain/reference/departments.js';
import {
  referenceChainInput,
  referenceChainV1Input,
} from '../../../shared/domain/reference/industrial-chain.js';

// ajv comes with asl-validator (the state machine validator the tests already use); the schema is draft 2020-12
const validatorOf = () => new Ajv2020({ allErrors: true, strict: false }).compile(chainJsonSchema());

type Node = { description?: string; properties?: Record<string, Node>; items?: Node; anyOf?: Node[] };

describe('the published chain format (JSON Schema)', () => {
  it('validates both versions of the reference chain', () => {
    // Prepare
    const validate = validatorOf();

    // Act
    const results = [referenceChainV1Input, referenceChainInput].map((input) => validate(input));

    // Assess
    expect(validate.errors ?? []).toEqual([]);
    expect(results).toEqual([true, true]);
  });

  it('refuses a chain with an unknown field or a step without its limits typed', () => {
    // Prepare
    const validate = validatorOf();
    const stage = referenceChainV1Input.stages[0];
    if (!stage) throw new Error('no stage');
    const wrong = {
      ...referenceChainV1Input,
      colour: 'red',
      stages: [{ ...stage, steps: [{ ...stage.steps[0], promisedDays: '5' }] }],
    };

    // Act
    const valid = validate(wrong);

    // Assess
    expect(valid).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(where).toContain(' additionalProperties');
    expect(where.some((w) => w.startsWith('/stages/0/steps/0/promisedDays'))).toBe(true);
  });

  it('explains every field of a chain, a stage, a step, a material, a part and a policy', () => {
    // Prepare
    const schema = chainJsonSchema() as Node & { $defs: Record<string, Node> };
    const stage = schema.properties?.stages?.items;
    const step = stage?.properties?.steps?.items;
    const material = step?.properties?.materials?.items;
    const part = step?.properties?.parts?.items;
    const policy = step?.properties?.policy;

    // Act
    const undescribed = Object.entries({ chain: schema, stage, step, material, part, policy }).flatMap(
      ([what, node]) =>
        Object.entries(node?.properties ?? {})
          .filter(([, field]) => !field.description)
          .map(([name]) => `${what}.${name}`),
    );

    // Assess
    expect(undescribed).toEqual([]);
    expect(step?.properties?.prerequisites?.description).toMatch(/互为前置/);
    expect(material?.properties?.deferrable?.description).toMatch(/容缺受理/);
    expect(step?.properties?.heldBy?.description).toMatch(/first rule that holds wins/);
    expect(schema.$defs[APPLICABILITY_RULE_DEF]?.description).toMatch(/atLeast/);
  });

  it('as OpenAPI components, points its references at components, never at the document root', () => {
    // Act
    const components = chainOpenApiComponents();

    // Assess
    const text = JSON.stringify(components);
    expect(text).not.toContain('#/$defs/');
    expect(text).toContain(`#/components/schemas/Chain${APPLICABILITY_RULE_DEF}`);
    expect(Object.keys(components).sort()).toEqual(['Chain', `Chain${APPLICABILITY_RULE_DEF}`]);
  });
});

describe('docs/chain-format.md', () => {
  it('explains every field the schema has', async () => {
    // Prepare
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/chain-format.md', import.meta.url), 'utf8');
    const names = new Set<string>();
    JSON.stringify(chainJsonSchema(), (key, value) => {
      if (key === 'properties' && value && typeof value === 'object')
        for (const k of Object.keys(value)) names.add(k);
      return value;
    });

    // Act
    const missing = [...names].filter((name) => !doc.includes(`\`${name}\``));

    // Assess
    expect(names.size).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});

describe('the example in docs/chain-format.md', () => {
  it('is a chain the schema and publishing accept', async () => {
    // Prepare
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/chain-format.md', import.meta.url), 'utf8');
    const example: unknown = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(doc)?.[1] ?? 'null');

    // Act
    const valid = validatorOf()(example);
    const chain = validateChain(example, referenceDepartments);

    // Assess
    expect(valid).toBe(true);
    expect(chain.stages.map((s) => s.steps.map((x) => x.id))).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });
});
