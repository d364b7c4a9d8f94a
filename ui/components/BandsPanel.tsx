// `BandsPanel`: editable Ce band bounds with sources, for the plan's drug (S-ketamine models get their own set, or "no published band"); reset to sourced defaults.
import { memo } from 'react';
import { ANTIDEPRESSANT_MARKER, DEFAULT_BANDS } from '../../engine/pd/racemic-bands.ts';
import { useApp, useResults, useScenario } from '../context.ts';
import { draftBands, resetBands, setBandBound } from '../state/actions.ts';
import { current } from '../state/simulation.ts';
import { bandStyle } from '../chart/ChartPanel.tsx';
import { NumberField } from './fields.tsx';

/**
 * The effect bands shaded on the chart: bounds editable (ng/mL), each band's source one click away. The
 * defaults are those of the plan's drug as the worker resolved them: the racemic bands, or, for an
 * S-ketamine (esketamine) model, the S-ketamine set with the racemic bands it has no published
 * counterpart for named as such (engine/pd/s-ketamine-bands.ts).
 */
export const BandsPanel = memo(function BandsPanel() {
  const { scenario } = useApp();
  const thresholds = useScenario((s) => s.plan.thresholds);
  const set = useResults((r) => current(r)?.bandSet ?? null);
  const sKetamine = set?.drug === 's-ketamine';
  const defaults = set?.bands ?? null;
  const bands = draftBands({ thresholds } as Parameters<typeof draftBands>[0], defaults);
  const sourceOf = (id: string) => set?.bands.find((x) => x.id === id) ?? DEFAULT_BANDS.find((x) => x.id === id) ?? null;
  return (
    <section className="panel" aria-labelledby="bands-h">
      <div className="panel-head">
        <h2 id="bands-h">Effect bands (Ce)</h2>
        <button type="button" className="secondary" onClick={() => scenario.set(resetBands)} disabled={!thresholds}>
          Reset to sourced defaults
        </button>
      </div>
      {sKetamine ? (
        <p className="hint" data-testid="band-set-notice">
          {set.notice}
        </p>
      ) : (
        <p className="hint">
          Racemic ketamine, adults. The bands come from different studies, sampling sites and endpoints and they overlap; a Ce
          band is only as good as the ke0 paired with the PK model.
        </p>
      )}
      <ul className="bands" data-band-set={set?.drug ?? 'racemic'}>
        {bands.map((b, i) => {
          const d = sourceOf(b.id);
          const style = bandStyle(b.id, set);
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
                onCommit={(v) => scenario.set((s) => setBandBound(s, b.id, 'lowNgMl', v, defaults))}
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
                onCommit={(v) => scenario.set((s) => setBandBound(s, b.id, 'highNgMl', v, defaults))}
              />
              {d ? (
                <details className="source">
                  <summary>Source</summary>
                  <p>{d.citation}</p>
                  <p className="muted">{d.note}</p>
                  <p className="muted">
                    Default: {d.lowNgMl}–{d.highNgMl ?? '∞'} ng/mL{d.highNgMl == null ? ' (at or above a line, open-ended)' : ''}.
                  </p>
                </details>
              ) : (
                <span className="muted">(band from the plan; no source)</span>
              )}
            </li>
          );
        })}
        {sKetamine ? (
          <>
            {set.references.map((r) => (
              <li key={r.id} className="band marker" data-reference={r.id}>
                <span className="swatch line dashed" style={{ borderColor: '#8d6e63' }} aria-hidden="true" />
                <span className="band-name">
                  {r.name}: {r.ngMl} ng/mL (reference line, S-ketamine)
                </span>
                <details className="source">
                  <summary>Source</summary>
                  <p>{r.citation}</p>
                  <p className="muted">{r.note}</p>
                </details>
              </li>
            ))}
            {set.unavailable.map((u) => (
              <li key={u.id} className="band unavailable" data-unavailable={u.id}>
                <span className="band-name">{u.name}: no published S-ketamine band</span>
                <span className="muted small">{u.reason}</span>
              </li>
            ))}
          </>
        ) : (
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
        )}
      </ul>
    </section>
  );
});
