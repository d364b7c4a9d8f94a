// `useDoseSafety`, `DoseSafetyPanel`, `ClinicLimitsEditor`: the plan's dose-safety warnings under the clinic's limits, in words at the plan.
import { useEffect, useMemo, useState } from 'react';
import { TextField } from '../components/fields.tsx';
import type { Plan } from '../../engine/plan.ts';
import type { Warning } from '../../engine/warnings.ts';
import type { DoseLimits } from '../../engine/safety/dose-safety.ts';
import type { SimulationClient } from '../../workers/simulation-client.ts';
import { useApp, useResults } from '../context.ts';
import { current } from '../state/simulation.ts';
import { useStore } from '../state/store.ts';
import {
  clinicSettings,
  clinicSettingsLoadProblems,
  clinicSettingsSaveError,
  LIMIT_FIELDS,
  type ClinicSettings,
  type LimitKey,
} from './clinic-settings.ts';
import './clinic.css';

/** The dose-safety codes of the contract (docs/PLAN-FORMAT.md "Warnings"). */
export const DOSE_SAFETY_CODES = ['dose-above-limit', 'dose-unit-suspect'] as const;

export interface DoseSafety {
  /** The plan the findings belong to. */
  readonly plan: Plan;
  readonly warnings: readonly Warning[];
  /** The limits in force (defaults with their citations, or the clinic's). */
  readonly limits: DoseLimits;
}

/**
 * A plan's dose-safety findings under the clinic's limits, computed in the simulation worker (the engine
 * never runs on the main thread). Null until the first answer; an error as a sentence.
 */
export function useDoseSafetyFor(
  client: SimulationClient,
  plan: Plan | null,
  limits: ClinicSettings['limits'],
): { safety: DoseSafety | null; error: string | null } {
  const [state, setState] = useState<{ safety: DoseSafety | null; error: string | null }>({ safety: null, error: null });
  useEffect(() => {
    if (!plan) return;
    let live = true;
    client.doseSafety(plan, limits).then(
      (r) => {
        if (!live) return;
        if (r.ok) setState({ safety: { plan, warnings: r.warnings, limits: r.limits }, error: null });
        else setState({ safety: null, error: r.problems.map((p) => `${p.path}: ${p.message}`).join('; ') });
      },
      (e) => {
        if (live) setState({ safety: null, error: `The dose check could not run: ${(e as Error).message}` });
      },
    );
    return () => {
      live = false;
    };
  }, [client, plan, limits]);
  return plan ? state : { safety: null, error: null };
}

/** The dose-safety findings of the plan shown (the last valid one). */
export function useDoseSafety(): { safety: DoseSafety | null; error: string | null } {
  const { client } = useApp();
  const plan = useResults((r) => current(r)?.plan ?? null);
  const limits = useStore(clinicSettings, (s) => s.limits);
  return useDoseSafetyFor(client, plan, limits);
}

/** "regimen[2]: …" → "Event 3: …" (the editor numbers rows from 1). */
export const eventWords = (message: string): string =>
  message.replace(/regimen\[(\d+)\]/g, (_, i: string) => `event ${Number(i) + 1}`).replace(/^event/, 'Event');

const TITLES: Record<string, string> = {
  'dose-above-limit': 'Above the dose limit',
  'dose-unit-suspect': 'Possible unit slip',
  'overlapping-doses': 'Overlapping doses',
};

/** One finding in words, with what it is. */
export function FindingList({ warnings, testId }: { warnings: readonly Warning[]; testId: string }) {
  return (
    <ul className="safety-findings" data-testid={testId}>
      {warnings.map((w, i) => (
        <li key={`${w.code}-${i}`} data-code={w.code}>
          <strong>{TITLES[w.code] ?? w.code}:</strong> {eventWords(w.message)}
        </li>
      ))}
    </ul>
  );
}

/** The limits in force, each with its value, unit and source. */
export function LimitSources({ limits }: { limits: DoseLimits }) {
  return (
    <ul className="limit-sources">
      {LIMIT_FIELDS.map((f) => {
        const l = limits[f.key];
        return (
          <li key={f.key} data-limit={f.key}>
            {f.name}:{' '}
            {l ? (
              <>
                <strong>
                  {l.value} {f.unit}
                </strong>{' '}
                (
                {l.basis === 'cited'
                  ? 'cited'
                  : l.basis === 'clinic'
                    ? 'clinic setting'
                    : 'KetaSim heuristic, not a cited number'}
                ). <span className="muted">{l.citation}</span>
              </>
            ) : (
              <span>off (no source gives a number; a clinic may set one)</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The dose check at the plan: every `dose-above-limit` / `dose-unit-suspect` finding in words beside the
 * regimen, the engine's `overlapping-doses` warning, and the limits in force with their sources (editable
 * as clinic settings).
 */
export function DoseSafetyPanel() {
  const { safety, error } = useDoseSafety();
  const warnings = useResults((r) => current(r)?.warnings ?? null);
  const overlaps = useMemo(() => warnings?.filter((w) => w.code === 'overlapping-doses') ?? null, [warnings]);
  const findings = safety?.warnings ?? [];
  return (
    <div className="dose-safety" data-testid="dose-safety" aria-live="polite">
      <h3>Dose check</h3>
      {error ? <p className="field-error">Dose check: {error}</p> : null}
      {findings.length > 0 ? (
        <div className="safety-alert" role="alert">
          <FindingList warnings={findings} testId="dose-findings" />
        </div>
      ) : safety ? (
        <p className="safety-ok" data-testid="dose-ok">
          No dose above the limits in force and no likely unit slip.
        </p>
      ) : null}
      {overlaps && overlaps.length > 0 ? (
        <div className="safety-alert overlap" role="alert">
          <FindingList warnings={overlaps} testId="overlap-findings" />
        </div>
      ) : null}
      <details className="clinic-limits">
        <summary>Dose limits in force (clinic settings)</summary>
        {safety ? <LimitSources limits={safety.limits} /> : null}
        <ClinicLimitsEditor />
      </details>
    </div>
  );
}

/** A number setting with its unit and a message naming it when the text is not a usable number. */
export function SettingNumber(props: {
  label: string;
  unit: string;
  value: number | null;
  placeholder?: string;
  testId?: string;
  max?: number;
  onCommit: (v: number | null) => void;
  allowEmpty?: boolean;
}) {
  const [text, setText] = useState(props.value === null ? '' : String(props.value));
  const [seen, setSeen] = useState(props.value);
  if (seen !== props.value) {
    setSeen(props.value);
    const next = props.value === null ? '' : String(props.value);
    if (Number(text) !== props.value || (props.value === null && text !== '')) setText(next);
  }
  const t = text.trim();
  const n = Number(t.replace(',', '.'));
  const error =
    t === ''
      ? props.allowEmpty
        ? null
        : 'required'
      : !Number.isFinite(n) || !(n > 0)
        ? `must be a number > 0 ${props.unit}, got "${t}"`
        : props.max !== undefined && n > props.max
          ? `must be at most ${props.max} ${props.unit}, got ${n}`
          : null;
  return (
    <TextField
      label={props.label}
      unit={props.unit}
      value={text}
      placeholder={props.placeholder}
      testId={props.testId}
      error={error ? `${props.label}: ${error}` : null}
      onChange={(v) => {
        setText(v);
        const tt = v.trim();
        const nn = Number(tt.replace(',', '.'));
        if (tt === '' && props.allowEmpty) props.onCommit(null);
        else if (tt !== '' && Number.isFinite(nn) && nn > 0 && (props.max === undefined || nn <= props.max)) props.onCommit(nn);
      }}
    />
  );
}

/** The clinic's dose limits: a value per limit (empty = the cited default), an "off" switch, a reset. */
export function ClinicLimitsEditor() {
  const limits = useStore(clinicSettings, (s) => s.limits);
  const saveError = useStore(clinicSettingsSaveError, (e) => e);
  const set = (key: LimitKey, v: number | null | undefined) =>
    clinicSettings.set((s) => {
      const next = { ...s.limits };
      if (v === undefined) delete next[key];
      else next[key] = v;
      return { ...s, limits: next };
    });
  return (
    <div className="clinic-limits-editor" data-testid="clinic-limits">
      <p className="hint">
        Clinic settings are kept in this browser (localStorage), not in the plan file or a share link. An empty field uses the
        cited default shown above.
      </p>
      {LIMIT_FIELDS.map((f) => {
        const v = limits[f.key];
        return (
          <div key={f.key} className="limit-row" data-limit-setting={f.key}>
            <SettingNumber
              label={f.name}
              unit={f.unit}
              value={typeof v === 'number' ? v : null}
              placeholder="default"
              allowEmpty
              max={f.key === 'unitSlipFraction' ? 1 : undefined}
              testId={`limit-${f.key}`}
              onCommit={(n) => set(f.key, n === null ? undefined : n)}
            />
            <label className="inline">
              <input type="checkbox" checked={v === null} onChange={(e) => set(f.key, e.target.checked ? null : undefined)} />{' '}
              check off
            </label>
          </div>
        );
      })}
      <button type="button" className="secondary" onClick={() => clinicSettings.set((s) => ({ ...s, limits: {} }))}>
        Reset limits to the cited defaults
      </button>
      {[...clinicSettingsLoadProblems, ...(saveError ? [saveError] : [])].map((p) => (
        <p key={p} className="field-error">
          {p}
        </p>
      ))}
    </div>
  );
}
