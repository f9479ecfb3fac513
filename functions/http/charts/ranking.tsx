import type { Translate } from '../i18n.js';
import { ChartFrame } from './chart-frame.js';

export type RankingRow = {
  label: string;
  breaches: number;
  deemedApprovals: number;
  onTimeRate: number | null;
};

/**
 * Departments ranked by breaches and deemed approvals, as a horizontal bar chart drawn on the server (SVG, no
 * script): each bar split into its two counts, the numbers written beside it, the on-time rate at the end.
 */
export function RankingChart(props: { t: Translate; rows: RankingRow[]; titleId: string }) {
  const { t } = props;
  const rows = props.rows.slice(0, 12);
  const labelWidth = 190;
  const barWidth = 420;
  const rowHeight = 26;
  const top = 28;
  const width = labelWidth + barWidth + 150;
  const height = top + Math.max(1, rows.length) * rowHeight + 34;
  const max = Math.max(1, ...rows.map((r) => r.breaches + r.deemedApprovals));
  const scale = (n: number) => (n / max) * barWidth;
  return (
    <ChartFrame
      width={width}
      height={height}
      titleId={props.titleId}
      fontSize={12}
      title={t('部门排名：超时与超时默认', 'Departments ranked: breaches and deemed approvals')}
      description={
        rows.length === 0
          ? t('本期没有超时。', 'No breaches in the period.')
          : rows
              .map((r) =>
                t(
                  `${r.label}：超时 ${r.breaches}，超时默认 ${r.deemedApprovals}，按时率 ${r.onTimeRate ?? '—'}%`,
                  `${r.label}: ${r.breaches} breaches, ${r.deemedApprovals} deemed approvals, on time ${r.onTimeRate ?? '—'}%`,
                ),
              )
              .join('；')
      }
    >
      <text x={labelWidth} y={16} fill="#444">
        {t('超时（红）与超时默认（紫）件数', 'breaches (red) and deemed approvals (purple)')}
      </text>
      {rows.length === 0 ? (
        <text x={labelWidth} y={top + 18} fill="#1d5e2c">
          {t('本期没有超时，全部按时办结。', 'No breaches: everything decided on time.')}
        </text>
      ) : null}
      {rows.map((row, i) => {
        const y = top + i * rowHeight;
        const b = scale(row.breaches);
        const d = scale(row.deemedApprovals);
        return (
          <g>
            <text x={labelWidth - 8} y={y + 17} text-anchor="end" fill="#1a1a1a">
              {i + 1}. {row.label}
            </text>
            <rect x={labelWidth} y={y + 5} width={b} height={16} fill="#c0392b">
              <title>{t(`超时 ${row.breaches}`, `${row.breaches} breaches`)}</title>
            </rect>
            <rect x={labelWidth + b} y={y + 5} width={d} height={16} fill="#6c3483">
              <title>{t(`超时默认 ${row.deemedApprovals}`, `${row.deemedApprovals} deemed approvals`)}</title>
            </rect>
            <text x={labelWidth + b + d + 6} y={y + 17} fill="#1a1a1a">
              {row.breaches} / {row.deemedApprovals}
              {row.onTimeRate !== null
                ? t(` · 按时率 ${row.onTimeRate}%`, ` · on time ${row.onTimeRate}%`)
                : ''}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
