// Plain-SVG chart of the sweet-spot view: peak Ce (ng/mL) against dose over the shaded bands, with the cited studies as marks at their doses.
import type { SweetSpotResult } from '../../engine/research/sweet-spot.ts';
import type { BandSetInfo } from '../../workers/simulation-api.ts';
import { bandStyle } from '../chart/ChartPanel.tsx';
import { bandLabels, linearScale } from '../chart/ConcentrationChart.tsx';
import { niceCeil, valueTicks } from '../chart/scales.ts';
import { formatSig } from '../format.ts';

/** Short keys of the evidence records, shown on the marks (the full citations are listed beside the chart). */
const KEYS: Readonly<Record<string, string>> = {
  'dose-ranging-fava2020': 'Fava 2020',
  'dose-ranging-su2017-chen2020': 'Su 2017 / Chen 2020',
  'ketamine-under-anaesthesia-lii2023': 'Lii 2023',
};
export const evidenceKey = (id: string): string => KEYS[id] ?? id;

const M = { top: 14, right: 20, bottom: 46, left: 72 };
const EVIDENCE_ROW = 16;

/**
 * Peak Ce of each dose of the axis (points joined by a line: a concentration, the model's prediction),
 * over the bands of the active set, and below the plot one row per study with a mark at each dose it
 * gave. No efficacy value is drawn: a mark says "studied here", its finding is in the table and list.
 */
export function DoseChart({ result, width, set }: { result: SweetSpotResult; width: number; set: BandSetInfo | null }) {
  const mgkg = result.axis.kind === 'mg/kg';
  const xs = result.rows.map((r) => (mgkg ? r.doseMgPerKg! : r.scale!));
  const peaks = result.rows.map((r) => r.metrics.peakCeNgMl);
  const studies = mgkg ? result.evidence : [];
  const evidenceTop = 320 + 12;
  const height = evidenceTop + studies.length * EVIDENCE_ROW + (studies.length ? 4 : 0);
  const plotBottom = 320 - M.bottom;
  const xMax = niceCeil(Math.max(...xs, ...studies.flatMap((e) => e.marks.map((m) => m.doseMgPerKg))) * 1.05);
  const bandTop = Math.max(...result.bands.map((b) => b.highNgMl ?? b.lowNgMl));
  const yMax = niceCeil(Math.max(...peaks, Math.min(bandTop, Math.max(...peaks) * 2)) * 1.05);
  const x = linearScale(0, xMax, M.left, width - M.right);
  const y = linearScale(0, yMax, plotBottom, M.top);
  const r1 = (v: number) => Math.round(v * 10) / 10;
  const xTicks = valueTicks(xMax, Math.max(3, Math.floor((width - M.left - M.right) / 70)));
  const d = xs.map((v, i) => `${i ? 'L' : 'M'}${r1(x(v))},${r1(y(peaks[i]))}`).join('');
  const unit = mgkg ? 'mg/kg' : '× regimen';
  // Name a band on the chart only where it is tall enough and clear of the others (as the main chart does).
  const named = bandLabels(
    result.bands.map((b) => ({ id: b.id, name: b.id, y1: b.lowNgMl, y2: b.highNgMl ?? null, color: '' })),
    yMax,
    plotBottom - M.top,
  );
  return (
    <svg
      className="sweet-spot-chart"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      fontFamily="system-ui, sans-serif"
      role="img"
      aria-label={`Peak effect-site concentration (ng/mL) against dose (${unit}), over the effect bands; cited studies marked at the doses they gave`}
    >
      <g className="ss-bands">
        {result.bands.map((b) => {
          const hi = Math.min(b.highNgMl ?? yMax, yMax),
            lo = Math.max(b.lowNgMl, 0);
          if (!(hi > lo)) return null;
          const st = bandStyle(b.id, set);
          return (
            <g key={b.id} data-band={b.id}>
              <rect
                x={M.left}
                y={r1(y(hi))}
                width={width - M.left - M.right}
                height={r1(y(lo) - y(hi))}
                fill={st.color}
                fillOpacity={0.13}
                stroke={st.color}
                strokeOpacity={0.35}
                strokeDasharray="2 3"
              />
              {named.has(b.id) ? (
                <text x={width - M.right - 4} y={r1(y(hi)) + 13} textAnchor="end" fontSize={11} fill={st.color}>
                  {st.name} ({b.lowNgMl}–{b.highNgMl ?? '∞'} ng/mL)
                </text>
              ) : null}
              <title>
                {st.name} ({b.lowNgMl}–{b.highNgMl ?? '∞'} ng/mL)
              </title>
            </g>
          );
        })}
      </g>
      <g className="ss-axes" fontSize={12} fill="#37474f">
        <line x1={M.left} x2={M.left} y1={M.top} y2={plotBottom} stroke="#90a4ae" />
        <line x1={M.left} x2={width - M.right} y1={plotBottom} y2={plotBottom} stroke="#90a4ae" />
        {valueTicks(yMax).map((v) => (
          <g key={`y${v}`}>
            <line x1={M.left - 5} x2={M.left} y1={r1(y(v))} y2={r1(y(v))} stroke="#90a4ae" />
            <text x={M.left - 8} y={r1(y(v)) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {xTicks.map((v) => (
          <g key={`x${v}`}>
            <line x1={r1(x(v))} x2={r1(x(v))} y1={plotBottom} y2={plotBottom + 5} stroke="#90a4ae" />
            <text x={r1(x(v))} y={plotBottom + 18} textAnchor="middle">
              {v}
            </text>
          </g>
        ))}
        <text x={(M.left + width - M.right) / 2} y={plotBottom + 36} textAnchor="middle">
          {mgkg
            ? `dose (mg/kg, each over ${result.axis.kind === 'mg/kg' ? result.axis.overMin : ''} min from t = 0)`
            : 'scale factor on the current regimen'}
        </text>
        <text x={16} y={(M.top + plotBottom) / 2} transform={`rotate(-90 16 ${(M.top + plotBottom) / 2})`} textAnchor="middle">
          peak Ce (ng/mL)
        </text>
      </g>
      <path d={d} fill="none" stroke="#6a1b9a" strokeWidth={2} className="ss-peak-line" />
      {xs.map((v, i) => (
        <circle key={v} cx={r1(x(v))} cy={r1(y(peaks[i]))} r={4} fill="#6a1b9a" data-dose={v} data-peak={peaks[i]}>
          <title>
            {formatSig(v, 3)} {unit}: peak Ce {formatSig(peaks[i], 4)} ng/mL
          </title>
        </circle>
      ))}
      <g className="ss-evidence" fontSize={11} fill="#37474f">
        {studies.map((e, k) => {
          const ry = evidenceTop + 6 + k * EVIDENCE_ROW;
          return (
            <g key={e.id} data-evidence={e.id}>
              <text x={4} y={ry + 4}>
                {evidenceKey(e.id)}
              </text>
              {e.marks.map((m) => (
                <g key={`${m.doseMgPerKg}-${m.overMin}`}>
                  <path d={`M${r1(x(m.doseMgPerKg))},${ry - 5}l5,9h-10z`} fill="none" stroke="#37474f" data-mark={m.doseMgPerKg}>
                    <title>
                      {evidenceKey(e.id)}, {m.doseMgPerKg} mg/kg{m.overMin ? ` over ${m.overMin} min` : ''}: {m.finding}
                    </title>
                  </path>
                </g>
              ))}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
