import type { GanttSchedule } from '../../../shared/domain/gantt.js';
import { ChartFrame } from '../../http/charts/chart-frame.js';
import type { Translate } from '../../http/i18n.js';
import { lightText, stepStatusText } from '../../http/labels.js';

export type GanttRow = {
  stepId: string;
  label: string;
  holder: string;
  status: string;
  dueDate?: string | null | undefined;
};

const FILL = {
  done: '#5477b8',
  none: '#ffffff',
  planned: '#d5dae1',
  green: '#2f8a4c',
  yellow: '#c99700',
  red: '#c0392b',
  running: '#2f8a4c',
} as const;

/**
 * The project's Gantt picture as SVG drawn on the server (readable without script): stages and steps on a
 * working-day axis from registration, who holds each step, its light, today, the projected completion, and the
 * critical path drawn with a heavy outline and marked ◆ in its label. Every bar has a title with the same facts.
 */
export function GanttChart(props: {
  t: Translate;
  schedule: GanttSchedule;
  stages: Array<{ label: string; rows: GanttRow[] }>;
  critical: ReadonlySet<string>;
  projectedCompletion?: string | null | undefined;
  titleId: string;
}) {
  const { t, schedule } = props;
  const labelWidth = 330;
  const chartWidth = 640;
  const rowHeight = 20;
  const top = 34;
  const span = Math.max(10, Math.ceil(schedule.end * 1.04));
  const x = (day: number) => labelWidth + (day / span) * chartWidth;
  const rows: Array<{ kind: 'stage'; label: string } | { kind: 'step'; row: GanttRow }> = [];
  for (const stage of props.stages) {
    rows.push({ kind: 'stage', label: stage.label });
    for (const row of stage.rows) rows.push({ kind: 'step', row });
  }
  const height = top + rows.length * rowHeight + 46;
  const width = labelWidth + chartWidth + 20;
  const bars = new Map(schedule.bars.map((b) => [b.stepId, b]));
  const tick = span > 150 ? 20 : span > 60 ? 10 : 5;
  const ticks = Array.from({ length: Math.floor(span / tick) + 1 }, (_, i) => i * tick);
  const bottom = top + rows.length * rowHeight;
  /** A line down the rows at a working day (a tick, today, the projected completion), drawn as `stroke` says. */
  const dayLine = (day: number, stroke: Record<string, string>) => (
    <line x1={x(day)} x2={x(day)} y1={top - 4} y2={bottom} {...stroke} />
  );
  return (
    <ChartFrame
      width={width}
      height={height}
      titleId={props.titleId}
      fontSize={11}
      title={t('项目甘特图（工作日）', 'Project Gantt chart (working days)')}
      description={t(
        `从登记日起按工作日计；今天为第 ${schedule.today} 个工作日；预计第 ${schedule.end} 个工作日办结${props.projectedCompletion ? `（${props.projectedCompletion}）` : ''}。关键路径上的事项以 ◆ 标出。下方表格列出同样的信息。`,
        `Working days from registration; today is day ${schedule.today}; projected completion on day ${schedule.end}${props.projectedCompletion ? ` (${props.projectedCompletion})` : ''}. Steps on the critical path are marked ◆. The table below lists the same facts.`,
      )}
    >
      {ticks.map((d) => (
        <g>
          {dayLine(d, { stroke: '#e3e6ea' })}
          <text x={x(d)} y={top - 8} text-anchor="middle" fill="#444">
            {d}
          </text>
        </g>
      ))}
      <text x={labelWidth} y={12} fill="#444">
        {t('工作日（自登记日）', 'working days since registration')}
      </text>
      {rows.map((entry, index) => {
        const y = top + index * rowHeight;
        if (entry.kind === 'stage') {
          return (
            <g>
              <rect x={0} y={y} width={width} height={rowHeight} fill="#eef1f5" />
              <text x={6} y={y + 14} font-weight="700" fill="#1a1a1a">
                {entry.label}
              </text>
            </g>
          );
        }
        const { row } = entry;
        const bar = bars.get(row.stepId);
        const critical = props.critical.has(row.stepId);
        const label = `${critical ? '◆ ' : ''}${row.stepId} ${row.label}`;
        const fill = !bar
          ? FILL.planned
          : bar.phase === 'running'
            ? FILL[bar.light ?? 'running']
            : FILL[bar.phase];
        const x1 = bar ? x(bar.start) : labelWidth;
        const x2 = bar ? Math.max(x(bar.end), x1 + 3) : labelWidth;
        const title = [
          `${row.stepId} ${row.label}`,
          row.holder,
          stepStatusText(t, row.status),
          bar?.light ? lightText(t, bar.light) : '',
          row.dueDate ? `${t('截止', 'due')} ${row.dueDate}` : '',
          critical ? t('关键路径', 'critical path') : '',
        ]
          .filter(Boolean)
          .join(' · ');
        return (
          <g>
            <text x={6} y={y + 14} fill={critical ? '#000' : '#333'} font-weight={critical ? '700' : '400'}>
              {truncate(label, 17)}
            </text>
            <text x={labelWidth - 6} y={y + 14} text-anchor="end" fill="#555">
              {truncate(row.holder, 8)}
            </text>
            {bar?.phase === 'none' ? (
              <text x={x1 + 2} y={y + 14} fill="#555">
                {t('不适用', 'n/a')}
              </text>
            ) : bar?.milestone ? (
              <path
                d={`M${x1} ${y + 3} l7 7 l-7 7 l-7 -7 z`}
                fill={fill}
                stroke={critical ? '#000' : '#555'}
                stroke-width={critical ? 2 : 1}
              >
                <title>{title}</title>
              </path>
            ) : (
              <rect
                x={x1}
                y={y + 4}
                width={x2 - x1}
                height={rowHeight - 8}
                rx={2}
                fill={fill}
                stroke={critical ? '#000' : bar?.phase === 'planned' ? '#8a94a3' : 'none'}
                stroke-width={critical ? 2 : 1}
                stroke-dasharray={bar?.phase === 'planned' && !critical ? '3 2' : undefined}
              >
                <title>{title}</title>
              </rect>
            )}
          </g>
        );
      })}
      {dayLine(schedule.today, { stroke: '#0b57d0', 'stroke-width': '2' })}
      <text x={x(schedule.today) + 3} y={bottom + 14} fill="#0b57d0">
        {t('今天', 'today')}
      </text>
      {dayLine(schedule.end, { stroke: '#000', 'stroke-dasharray': '5 3' })}
      <text x={Math.min(x(schedule.end), width - 150)} y={bottom + 28} fill="#000">
        {t('预计办结', 'projected completion')} {props.projectedCompletion ?? ''}
      </text>
      <g transform={`translate(6 ${height - 14})`}>
        {(
          [
            [FILL.done, t('已办结', 'done')],
            [FILL.green, t('审查中·绿灯', 'in review · green')],
            [FILL.yellow, t('黄灯', 'yellow')],
            [FILL.red, t('红灯', 'red')],
            [FILL.planned, t('计划', 'planned')],
          ] as const
        ).map(([color, text], i) => (
          <g transform={`translate(${i * 110} 0)`}>
            <rect x={0} y={-9} width={14} height={10} fill={color} stroke="#555" stroke-width="0.5" />
            <text x={18} y={0} fill="#333">
              {text}
            </text>
          </g>
        ))}
        <text x={560} y={0} fill="#000">
          ◆ {t('关键路径', 'critical path')}
        </text>
      </g>
    </ChartFrame>
  );
}

const truncate = (text: string, max: number) =>
  [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;
