// `BandsPanel`: editable Ce band bounds with sources; reset to sourced defaults.
import { memo } from 'react';
import { ANTIDEPRESSANT_MARKER, DEFAULT_BANDS } from '../../engine/pd/bands.ts';
import { useApp, useScenario } from '../context.ts';
import { draftBands, resetBands, setBandBound } from '../state/actions.ts';
import { bandStyle } from '../chart/ChartPanel.tsx';
import { NumberField } from './fields.tsx';

/** The effect bands shaded on the chart: bounds editable (ng/mL), each band's source one click away. */
export const BandsPanel = memo(function BandsPanel() {
  const { scenario } = useApp();
  const thresholds = useScenario((s) => s.plan.thresholds);
  const bands = draftBands({ thresholds } as Parameters<typeof draftBands>[0]);
  return (
    <section className="panel" aria-labelledby="bands-h">
      <div className="panel-head">
        <h2 id="bands-h">Effect bands (Ce)</h2>
        <button type="button" className="secondary" onClick={() => scenario.set(resetBands)} disabled={!thresholds}>
          Reset to sourced defaults
        </button>
      </div>
      <p className="hint">
        Racemic ketamine, adults. The bands come from different studies, sampling sites and endpoints and they overlap; a Ce band
        is only as good as the ke0 paired with the PK model.
      </p>
      <ul className="bands">
        {bands.map((b, i) => {
          const d = DEFAULT_BANDS.find((x) => x.id === b.id);
          const style = bandStyle(b.id);
          return (
            <li key={b.id} className="band" data-band={b.id}>
              <span className="swatch" style={{ background: style.color }} aria-hidden="true" />
              <span className="band-name">{style.name}</span>
              <NumberField
                compact
                path={`thresholds[${i}].lowNgMl`}
                label={`${style.name}: low bound`}
                name={`${style.name} low bound`}
                unit="ng/mL"
                value={b.lowNgMl}
                onCommit={(v) => scenario.set((s) => setBandBound(s, b.id, 'lowNgMl', v))}
              />
              <span aria-hidden="true">–</span>
              <NumberField
                compact
                path={`thresholds[${i}].highNgMl`}
                label={`${style.name}: high bound`}
                name={`${style.name} high bound`}
                unit="ng/mL"
                placeholder="open"
                value={b.highNgMl}
                onCommit={(v) => scenario.set((s) => setBandBound(s, b.id, 'highNgMl', v))}
              />
              {d ? (
                <details className="source">
                  <summary>Source</summary>
                  <p>{d.citation}</p>
                  <p className="muted">{d.note}</p>
                  <p className="muted">
                    Default: {d.lowNgMl}–{d.highNgMl ?? '∞'} ng/mL.
                  </p>
                </details>
              ) : (
                <span className="muted">(band from the plan; no source)</span>
              )}
            </li>
          );
        })}
        <li className="band marker">
          <span className="swatch line dashed" style={{ borderColor: '#8d6e63' }} aria-hidden="true" />
          <span className="band-name">
            {ANTIDEPRESSANT_MARKER.name}: {ANTIDEPRESSANT_MARKER.ngMl} ng/mL (reference line)
          </span>
          <details className="source">
            <summary>Source</summary>
            <p>{ANTIDEPRESSANT_MARKER.citation}</p>
            <p className="muted">{ANTIDEPRESSANT_MARKER.note}</p>
          </details>
        </li>
      </ul>
    </section>
  );
});
