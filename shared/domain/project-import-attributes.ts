import type { AttributeValue, ProjectAttributes } from './applicability.js';
import type { AttributeDefinition, Chain } from './chain.js';
import { attributeColumnKey } from './project-import-csv.js';
import type { RowReader } from './project-import-step.js';

/**
 * A row's project attributes (项目属性: land area, hazardous works, civil air defence…), as the registration form takes
 * them: each chain attribute from its column (`attr.siteAreaM2`), the chain's default where the cell is empty or the
 * column absent. The steps' applicability rules then read them, as they do a registered project's.
 */

const YES = new Set(['是', '有', '需要', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', '无', '不需要', 'n', 'no', 'false', '0']);

/** A cell as the attribute's value, or why it is not one. */
export function attributeValue(
  definition: AttributeDefinition,
  cell: string,
): { value: AttributeValue } | { problem: [string, string] } {
  if (definition.type === 'boolean') {
    const word = cell.toLowerCase();
    if (YES.has(word)) return { value: true };
    if (NO.has(word)) return { value: false };
    return { problem: [`“${cell}”应为“是”或“否”`, `'${cell}' should be yes (是) or no (否)`] };
  }
  if (definition.type === 'number') {
    const value = Number(cell.replaceAll(',', '').replaceAll('，', ''));
    if (Number.isFinite(value) && Math.abs(value) <= 1e13) return { value };
    return { problem: [`“${cell}”不是数`, `'${cell}' is not a number`] };
  }
  if (cell.length > 200) return { problem: ['超过 200 字', 'over 200 characters'] };
  return { value: cell };
}

/** The row's attributes for the chain (the defaults filled in), or undefined after naming each bad cell. */
export function rowAttributes(chain: Chain, r: RowReader): ProjectAttributes | undefined {
  const attributes: ProjectAttributes = {};
  let ok = true;
  for (const definition of chain.attributes) {
    const key = attributeColumnKey(definition.key);
    const cell = r.cell(key);
    if (cell === '') {
      attributes[definition.key] = definition.default;
      continue;
    }
    const read = attributeValue(definition, cell);
    if ('value' in read) {
      attributes[definition.key] = read.value;
      continue;
    }
    ok = false;
    r.problem(
      key,
      'IMPORT.ATTRIBUTE',
      `项目属性“${definition.label}”：${read.problem[0]}`,
      `project attribute ${definition.key}: ${read.problem[1]}`,
    );
  }
  return ok ? attributes : undefined;
}
