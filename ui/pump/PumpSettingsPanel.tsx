// `PumpSettingsPanel`, `usePumpSettings`: the syringe/bag concentration and pump steps (a UI setting, not in the plan file).
import { useStore } from '../state/store.ts';
import { clinicSettings } from '../settings/clinic-settings.ts';
import { SettingNumber } from '../settings/dose-safety.tsx';
import type { PumpSettings } from './pump.ts';

/** The pump settings in force (stored with the clinic settings in this browser). */
export const usePumpSettings = (): PumpSettings => useStore(clinicSettings, (s) => s.pump);

const setPump = (patch: Partial<PumpSettings>) => clinicSettings.set((s) => ({ ...s, pump: { ...s.pump, ...patch } }));

/**
 * The pump is programmed in volume: the concentration turns every rate into mL/h and every bolus into mL,
 * rounded to the pump's steps. Kept in this browser (not in the plan file: the plan contract refuses
 * unknown fields, and how a syringe is made up is the clinic's, not the plan's).
 */
export function PumpSettingsPanel({ idPrefix = 'plan' }: { idPrefix?: string }) {
  const s = usePumpSettings();
  return (
    <div className="pump-settings" data-testid={`${idPrefix}-pump-settings`} role="group" aria-label="Pump programming">
      <h3>Pump programming</h3>
      <div className="grid-3">
        <SettingNumber
          label="Syringe / bag concentration"
          unit="mg/mL"
          value={s.concentrationMgPerMl}
          placeholder="not set"
          allowEmpty
          testId={`${idPrefix}-concentration`}
          onCommit={(v) => setPump({ concentrationMgPerMl: v })}
        />
        <SettingNumber
          label="Pump rate step"
          unit="mL/h"
          value={s.rateStepMlPerH}
          testId={`${idPrefix}-rate-step`}
          onCommit={(v) => v !== null && setPump({ rateStepMlPerH: v })}
        />
        <SettingNumber
          label="Bolus volume step"
          unit="mL"
          value={s.bolusStepMl}
          testId={`${idPrefix}-bolus-step`}
          onCommit={(v) => v !== null && setPump({ bolusStepMl: v })}
        />
      </div>
      <p className="hint">
        {s.concentrationMgPerMl === null
          ? 'Enter the concentration of the syringe or bag as made up to see every rate in mL/h and every bolus in mL.'
          : `At ${s.concentrationMgPerMl} mg/mL, rates are rounded to ${s.rateStepMlPerH} mL/h and boluses to ${s.bolusStepMl} mL; each shows what the rounded volume delivers and the difference from the plan.`}{' '}
        Steps are clinic settings (defaults 0.1 mL/h and 0.1 mL, not cited numbers); kept in this browser, not in the plan file.
      </p>
    </div>
  );
}
