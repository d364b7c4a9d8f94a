// `BandAlert`: says at once, in words and colour (and optionally a tone), when Ce leaves the chosen band, with the forecast minutes to the next crossing.
import { useEffect, useId, useRef, useState } from 'react';
import type { NowState } from '../../engine/live/index.ts';
import type { Band } from '../../engine/plan.ts';
import { conc } from '../format.ts';
import { bandName, plain } from './live-model.ts';

const BAND_KEY = 'ketasim.live.alertBand';
const SOUND_KEY = 'ketasim.live.alertSound';

const read = (k: string): string | null => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};
const write = (k: string, v: string): void => {
  try {
    localStorage.setItem(k, v);
  } catch {
    // private mode: the choice lasts for this page only
  }
};

export type BandPosition = 'above' | 'below' | 'in';

/** Where Ce is relative to a band: below its low bound, in it, or at/above its high bound. */
export function bandPosition(ceNgMl: number, band: Band): BandPosition {
  if (ceNgMl < band.lowNgMl) return 'below';
  if (band.highNgMl !== undefined && ceNgMl >= band.highNgMl) return 'above';
  return 'in';
}

const range = (b: Band) => `${b.lowNgMl}–${b.highNgMl ?? '∞'} ng/mL`;

/** The forecast part of the alert: the next crossing of this band's bounds, if it is the next crossing at all. */
function forecastText(now: NowState, band: Band, pos: BandPosition): string {
  const x = now.nextCrossing;
  if (!x) return `Forecast: no band bound is crossed in the next ${now.lookaheadMin} min if nothing more is recorded.`;
  const mine = x.bounds.find((b) => b.id === band.id);
  if (mine) {
    const what = pos === 'in' ? 'leaves the band' : 'is back in the band';
    return `Forecast: Ce ${what} (${x.direction === 'up' ? 'rises above' : 'falls below'} ${plain(x.levelNgMl)} ng/mL) in ${x.inMin.toFixed(1)} min if nothing more is recorded.`;
  }
  return `Forecast: the next band bound crossed is ${plain(x.levelNgMl)} ng/mL (${x.bounds.map((b) => `${b.bound} bound of ${bandName(b.id)}`).join('; ')}) in ${x.inMin.toFixed(1)} min; this band's bounds are not crossed before that.`;
}

/** A short tone (Web Audio, generated here: nothing is fetched). */
function beep(): void {
  try {
    const Ctx = (window as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.35);
    osc.onended = () => void ctx.close();
  } catch {
    // no audio: the words and colour still say it
  }
}

/**
 * The alert line under the readouts: the chosen band (the dissociation band unless changed; the choice and the
 * sound setting are kept in this browser), and whether Ce is in it, above it or below it, with the forecast.
 * Out of the band it is an ARIA alert in a warning colour; the tone is off by default.
 */
export function BandAlert({ now, bands }: { now: NowState | null; bands: readonly Band[] }) {
  const ids = { band: useId(), sound: useId() };
  const [bandId, setBandId] = useState<string>(() => read(BAND_KEY) ?? 'dissociation');
  const [sound, setSound] = useState<boolean>(() => read(SOUND_KEY) === 'on');
  const band = bands.find((b) => b.id === bandId) ?? bands.find((b) => b.id === 'dissociation') ?? bands[0];
  const pos = now && band ? bandPosition(now.ceNgMl, band) : null;
  const last = useRef<BandPosition | null>(null);
  useEffect(() => {
    if (pos && pos !== 'in' && last.current === 'in' && sound) beep();
    if (pos) last.current = pos;
  }, [pos, sound]);
  if (!band) return null;
  return (
    <div className="live-alert-box">
      <div className="live-alert-settings">
        <label htmlFor={ids.band}>Alert band</label>
        <select
          id={ids.band}
          value={band.id}
          data-testid="alert-band"
          onChange={(e) => {
            setBandId(e.target.value);
            write(BAND_KEY, e.target.value);
          }}
        >
          {bands.map((b) => (
            <option key={b.id} value={b.id}>
              {bandName(b.id)} ({range(b)})
            </option>
          ))}
        </select>
        <label>
          <input
            type="checkbox"
            checked={sound}
            data-testid="alert-sound"
            onChange={(e) => {
              setSound(e.target.checked);
              write(SOUND_KEY, e.target.checked ? 'on' : 'off');
            }}
          />{' '}
          Sound a tone when Ce leaves the band (off by default)
        </label>
      </div>
      {now && pos ? (
        pos === 'in' ? (
          <p className="live-alert in" role="status" data-testid="live-alert" data-position="in">
            <strong>
              Ce {conc(now.ceNgMl)} is in the {bandName(band.id)} band ({range(band)}).
            </strong>{' '}
            {forecastText(now, band, pos)}
          </p>
        ) : (
          <p className={`live-alert out ${pos}`} role="alert" data-testid="live-alert" data-position={pos}>
            <strong>
              <span aria-hidden="true">⚠ </span>Ce {conc(now.ceNgMl)} is {pos === 'above' ? 'ABOVE' : 'BELOW'} the{' '}
              {bandName(band.id)} band ({range(band)}).
            </strong>{' '}
            {forecastText(now, band, pos)}
          </p>
        )
      ) : null}
    </div>
  );
}
