// `PumpVolume`: a rate (any unit) or a bolus (mg) as the pump is programmed — mL/h or mL at the set concentration, with the rounding's effect.
import { isRateUnit, rateToMgPerMin } from '../../engine/units.ts';
import { bolusText, pumpRateText } from './pump.ts';
import { usePumpSettings } from './PumpSettingsPanel.tsx';

/**
 * For Live mode's buttons and the planner: "pump: 61.5 mL/h delivers 0.75 mg/kg/h (61.5 mg/h), ±0 %", or
 * "pump: 8.2 mL delivers …" for a bolus; a hint to set the concentration when none is set; nothing when
 * there is no amount yet.
 */
export function PumpVolume(
  props:
    | {
        readonly rate: number | null;
        readonly unit: string;
        readonly weightKg: number;
        readonly testId?: string;
        readonly quiet?: boolean;
      }
    | { readonly bolusMg: number | null; readonly weightKg: number; readonly testId?: string; readonly quiet?: boolean },
) {
  const pump = usePumpSettings();
  let text: string | null = null;
  if ('bolusMg' in props) {
    if (props.bolusMg === null) return null;
    text = bolusText(props.bolusMg, props.weightKg, pump);
  } else {
    if (props.rate === null || !isRateUnit(props.unit)) return null;
    text = pumpRateText(rateToMgPerMin(props.rate, props.unit, props.weightKg) * 60, props.weightKg, pump);
  }
  // Quiet: nothing without a concentration (the caller says once what to set).
  if (!text && props.quiet) return null;
  return (
    <span className={text ? 'pump-text' : 'muted'} data-testid={props.testId ?? 'pump-volume'}>
      {text ? `pump: ${text}` : 'pump: set the syringe concentration (mg/mL) to see the volume'}
    </span>
  );
}

/** The pump's current rate (mg/min, as the live model reports it) in mL/h. */
export function PumpNowVolume({ rateMgPerMin, weightKg }: { rateMgPerMin: number; weightKg: number }) {
  const pump = usePumpSettings();
  const text = pumpRateText(rateMgPerMin * 60, weightKg, pump);
  return text ? (
    <p className="pump-text" data-testid="pump-now-volume">
      Pump now: {text}
    </p>
  ) : null;
}
