import type { ApplicabilityRule } from './applicability-rule.js';
import type { AttributeDefinition, Chain } from './chain.js';
import { InvalidInputError } from './errors.js';

export type AttributeValue = string | number | boolean;
export type ProjectAttributes = Record<string, AttributeValue>;

/**
 * Whether a step with this rule applies to a project with these attributes.
 * No rule: the step applies. A comparison on a missing attribute is false (so `not` of it is true).
 */
export function appliesTo(rule: ApplicabilityRule | undefined, attributes: ProjectAttributes): boolean {
  if (rule === undefined) return true;
  if ('all' in rule) return rule.all.every((r) => appliesTo(r, attributes));
  if ('any' in rule) return rule.any.some((r) => appliesTo(r, attributes));
  if ('not' in rule) return !appliesTo(rule.not, attributes);
  if (!Object.hasOwn(attributes, rule.attribute)) return false;
  const value = attributes[rule.attribute];
  if (value === undefined) return false;
  if ('equals' in rule) return value === rule.equals;
  if ('in' in rule) return typeof value !== 'boolean' && rule.in.includes(value);
  if ('atLeast' in rule) return typeof value === 'number' && value >= rule.atLeast;
  return typeof value === 'number' && value < rule.below;
}

function hasType(value: unknown, type: AttributeDefinition['type']): value is AttributeValue {
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === type;
}

/**
 * The project's attributes for a chain: the given values, checked against the chain's declarations,
 * with every attribute not given set to its default. Unknown keys and wrong types are all reported at once.
 */
export function resolveProjectAttributes(chain: Chain, input: Record<string, unknown>): ProjectAttributes {
  const known = new Map(chain.attributes.map((a) => [a.key, a]));
  const knownList = chain.attributes.length > 0 ? chain.attributes.map((a) => a.key).join(', ') : '(none)';
  const problems: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    const definition = known.get(key);
    if (definition === undefined) {
      problems.push(`unknown attribute '${key}'; this chain knows: ${knownList}`);
    } else if (value !== undefined && !hasType(value, definition.type)) {
      problems.push(`attribute '${key}' must be a ${definition.type}`);
    }
  }
  if (problems.length > 0) {
    throw new InvalidInputError(
      'PROJECT.ATTRIBUTES',
      `project attributes for chain ${chain.id}@${chain.version} are invalid: ${problems.join('; ')}`,
      { problems },
    );
  }
  const resolved: ProjectAttributes = {};
  for (const definition of chain.attributes) {
    const value = Object.hasOwn(input, definition.key) ? input[definition.key] : undefined;
    resolved[definition.key] = value === undefined ? definition.default : (value as AttributeValue);
  }
  return resolved;
}
