import type { Chain, Stage, StepDefinition } from './chain.js';
import { inStagePrerequisitesOf } from './chain-graph.js';

/**
 * A picture of a chain as a graph (SVG text, drawn on the server, no script): stages left to right, each a box
 * with its lead department; inside a stage its steps in columns by how many in-stage prerequisites wait before
 * them, arrows from a prerequisite to the step that needs it. Steps on the critical path are drawn red and bold;
 * an arrow that closes a cycle (互为前置) is red and dashed. Presentation attributes only (no `style`), so it
 * shows under the pages' Content-Security-Policy.
 */

const NODE_W = 150;
const NODE_H = 40;
const GAP_X = 36;
const GAP_Y = 14;
const STAGE_PAD = 16;
const HEADER_H = 48;
const STAGE_GAP = 28;
const MAX_NAME_CHARS = 9;

export type ChainPicture = {
  /** ids of the steps drawn as critical */
  critical?: ReadonlySet<string>;
  /** working days of each stage's longest path, by stage id (shown in its header) */
  stageDays?: ReadonlyMap<string, number>;
};

const escapeXml = (text: string): string =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const shorten = (text: string, max: number): string =>
  [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;

/** Column of each step in its stage: 0 without in-stage prerequisites, else one after its latest prerequisite. */
function columnsOf(stage: Stage): Map<string, number> {
  const byId = new Map(stage.steps.map((s) => [s.id, s]));
  const column = new Map<string, number>();
  const visiting = new Set<string>();
  const place = (step: StepDefinition): number => {
    const known = column.get(step.id);
    if (known !== undefined) return known;
    if (visiting.has(step.id)) return 0; // a cycle: cut where it closes
    visiting.add(step.id);
    let col = 0;
    for (const id of inStagePrerequisitesOf(stage, step)) {
      const prerequisite = byId.get(id);
      if (prerequisite) col = Math.max(col, place(prerequisite) + 1);
    }
    visiting.delete(step.id);
    column.set(step.id, col);
    return col;
  };
  for (const step of stage.steps) place(step);
  return column;
}

type Box = { x: number; y: number };

export function renderChainSvg(chain: Chain, picture: ChainPicture = {}): string {
  const critical = picture.critical ?? new Set<string>();
  const parts: Array<(height: number) => string> = [];
  const boxes: string[] = [];
  const edges: string[] = [];
  let x = 0;
  let height = 0;
  for (const [stageIndex, stage] of chain.stages.entries()) {
    const columns = columnsOf(stage);
    const width = Math.max(...columns.values(), 0) + 1;
    const rows = new Map<number, number>();
    const at = new Map<string, Box>();
    for (const step of stage.steps) {
      const col = columns.get(step.id) ?? 0;
      const row = rows.get(col) ?? 0;
      rows.set(col, row + 1);
      if (at.has(step.id)) continue; // a duplicate id, reported by validation
      at.set(step.id, {
        x: x + STAGE_PAD + col * (NODE_W + GAP_X),
        y: HEADER_H + STAGE_PAD + row * (NODE_H + GAP_Y),
      });
    }
    const stageW = STAGE_PAD * 2 + width * NODE_W + (width - 1) * GAP_X;
    const stageH = HEADER_H + STAGE_PAD * 2 + Math.max(...rows.values(), 1) * (NODE_H + GAP_Y) - GAP_Y;
    height = Math.max(height, stageH);
    const days = picture.stageDays?.get(stage.id);
    const stageX = x;
    parts.push(
      (h) =>
        `<g><rect x="${stageX}" y="0" width="${stageW}" height="${h}" rx="8" fill="#f4f6f9" stroke="#8a94a6"/>` +
        `<text x="${stageX + STAGE_PAD}" y="20" font-size="14" font-weight="bold" fill="#1b2a41">${escapeXml(`${stageIndex + 1}. ${stage.name}`)}</text>` +
        `<text x="${stageX + STAGE_PAD}" y="38" font-size="12" fill="#44516a">${escapeXml(`牵头 ${stage.leadDepartmentId}${days === undefined ? '' : ` · 关键路径 ${days} 个工作日`}`)}</text></g>`,
    );
    for (const step of stage.steps) {
      const box = at.get(step.id);
      if (!box) continue;
      for (const id of inStagePrerequisitesOf(stage, step)) {
        const from = at.get(id);
        if (!from) continue;
        const closesCycle = (columns.get(id) ?? 0) >= (columns.get(step.id) ?? 0);
        const onPath = critical.has(id) && critical.has(step.id);
        const [x1, y1, x2, y2] = closesCycle
          ? [from.x + NODE_W / 2, from.y + NODE_H, box.x + NODE_W / 2, box.y + NODE_H]
          : [from.x + NODE_W, from.y + NODE_H / 2, box.x, box.y + NODE_H / 2];
        edges.push(
          `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${closesCycle || onPath ? '#c0392b' : '#6b7790'}"` +
            ` stroke-width="${onPath ? 2.5 : 1.2}"${closesCycle ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#arrow)"/>`,
        );
      }
      const hot = critical.has(step.id);
      const limit =
        step.kind === 'milestone' ? '节点' : `${step.promisedDays ?? '—'}/${step.legalDays ?? '—'} 日`;
      const who = step.parts ? `联合 ${step.parts.length} 部门` : (step.departmentId ?? '');
      boxes.push(
        `<g><title>${escapeXml(`步骤 ${step.id} ${step.name}（${who}，承诺/法定 ${limit}）`)}</title>` +
          `<rect x="${box.x}" y="${box.y}" width="${NODE_W}" height="${NODE_H}" rx="5" fill="${hot ? '#fdecea' : '#ffffff'}"` +
          ` stroke="${hot ? '#c0392b' : '#8a94a6'}" stroke-width="${hot ? 2.5 : 1}"${step.kind === 'milestone' ? ' stroke-dasharray="3 3"' : ''}/>` +
          `<text x="${box.x + 6}" y="${box.y + 16}" font-size="12" fill="#1b2a41"${hot ? ' font-weight="bold"' : ''}>${escapeXml(`${step.id} ${shorten(step.name, MAX_NAME_CHARS)}`)}</text>` +
          `<text x="${box.x + 6}" y="${box.y + 32}" font-size="11" fill="#44516a">${escapeXml(`${who} · ${limit}`)}</text></g>`,
      );
    }
    x += stageW + STAGE_GAP;
  }
  const width = Math.max(0, x - STAGE_GAP);
  const title = `${chain.name} 第${chain.version}版：${chain.stages.length} 个阶段，${chain.stages.reduce((n, s) => n + s.steps.length, 0)} 个步骤`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"` +
    ` role="img" aria-label="${escapeXml(title)}" font-family="sans-serif"><title>${escapeXml(title)}</title>` +
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
    '<path d="M 0 0 L 10 5 L 0 10 z" fill="#6b7790"/></marker></defs>' +
    parts.map((part) => part(height)).join('') +
    edges.join('') +
    boxes.join('') +
    '</svg>'
  );
}
