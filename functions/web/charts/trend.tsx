import { ChartFrame } from '../../http/charts/chart-frame.js';
import type { Translate } from '../../http/i18n.js';
import { weekText } from '../../http/labels.js';

export type TrendWeek = { week: string; onTime: number; late: number; deemedApprovals: number };

/**
 * The weekly trend as SVG drawn on the server: each week's decisions as a bar (on time below, late above), the
 * deemed approvals written over it, oldest week on the left.
 */
export function TrendChart(props: { t: Translate; weeks: TrendWeek[]; titleId: string }) {
  const { t } = props;
  const weeks = [...props.weeks].sort((a, b) => a.week.localeCompare(b.week)).slice(-12);
  const left = 40;
  const top = 26;
  const plotHeight = 180;
  const slot = 58;
  const width = left + Math.max(1, weeks.length) * slot + 20;
  const height = top + plotHeight + 56;
  const max = Math.max(1, ...weeks.map((w) => w.onTime + w.late));
  const y = (n: number) => top + plotHeight - (n / max) * plotHeight;
  return (
    <ChartFrame
      width={width}
      height={height}
      titleId={props.titleId}
      fontSize={11}
      title={t('每周办结趋势', 'Weekly trend of decisions')}
      description={
        weeks
          .map((w) =>
            t(
              `${weekText(t, w.week)}：按时 ${w.onTime}，超时 ${w.late}，超时默认 ${w.deemedApprovals}`,
              `${weekText(t, w.week)}: ${w.onTime} on time, ${w.late} late, ${w.deemedApprovals} deemed approvals`,
            ),
          )
          .join('；') || t('暂无周报。', 'No weekly reports yet.')
      }
    >
      <line x1={left} x2={width - 10} y1={top + plotHeight} y2={top + plotHeight} stroke="#555" />
      <text x={4} y={top - 8} fill="#444">
        {t('办结件数', 'decisions')}
      </text>
      {[0, Math.round(max / 2), max].map((n) => (
        <text x={left - 6} y={y(n) + 4} text-anchor="end" fill="#444">
          {n}
        </text>
      ))}
      {weeks.map((w, i) => {
        const x = left + i * slot + 12;
        return (
          <g>
            <rect x={x} y={y(w.onTime)} width={30} height={top + plotHeight - y(w.onTime)} fill="#2f8a4c">
              <title>
                {t(`${weekText(t, w.week)} 按时 ${w.onTime}`, `${weekText(t, w.week)}: ${w.onTime} on time`)}
              </title>
            </rect>
            <rect
              x={x}
              y={y(w.onTime + w.late)}
              width={30}
              height={y(w.onTime) - y(w.onTime + w.late)}
              fill="#c0392b"
            >
              <title>
                {t(`${weekText(t, w.week)} 超时 ${w.late}`, `${weekText(t, w.week)}: ${w.late} late`)}
              </title>
            </rect>
            <text x={x + 15} y={y(w.onTime + w.late) - 4} text-anchor="middle" fill="#1a1a1a">
              {w.onTime + w.late}
              {w.deemedApprovals > 0 ? ` (${t('默', 'd')}${w.deemedApprovals})` : ''}
            </text>
            <text x={x + 15} y={top + plotHeight + 14} text-anchor="middle" fill="#444">
              {t(`第${Number(w.week.slice(6))}周`, w.week.slice(5))}
            </text>
          </g>
        );
      })}
      <g transform={`translate(${left} ${height - 14})`}>
        <rect x={0} y={-9} width={12} height={10} fill="#2f8a4c" />
        <text x={16} y={0} fill="#333">
          {t('按时', 'on time')}
        </text>
        <rect x={70} y={-9} width={12} height={10} fill="#c0392b" />
        <text x={86} y={0} fill="#333">
          {t('超时', 'late')}
        </text>
        <text x={140} y={0} fill="#333">
          {t('（默2）表示超时默认 2 件', '(d2) = 2 deemed approvals')}
        </text>
      </g>
    </ChartFrame>
  );
}
