/** The attribute names and values of a DynamoDB expression built clause by clause. */
export type ExpressionParts = { names: Record<string, string>; values: Record<string, unknown> };

/**
 * The clause `#field = :placeholder`, its name and value recorded in `parts`: a condition, a filter, or a SET of an
 * update expression. `placeholder` names the value where the field's own name is taken (`:expectStatus`).
 */
export function equalsClause(
  parts: ExpressionParts,
  field: string,
  value: unknown,
  placeholder = field,
): string {
  parts.names[`#${field}`] = field;
  parts.values[`:${placeholder}`] = value;
  return `#${field} = :${placeholder}`;
}
