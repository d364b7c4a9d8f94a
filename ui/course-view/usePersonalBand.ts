// `usePersonalBand`: personal band computed in the workers (storage: the sessions' courses; live: the band), refreshed after each database write.
import { useEffect, useState } from 'react';
import type { PersonalBand } from '../../engine/pd/personal-band.ts';
import { useStore } from '../state/store.ts';
import type { SessionWithLog } from '../storage/store.ts';
import { isAbortError, liveClient } from '../../workers/live-client.ts';
import { courseRevision, courseStore } from '../live/course-store.ts';
import type { OnsetInputs } from './onset-inputs.ts';

export interface PersonalBandState {
  readonly loading: boolean;
  readonly inputs: OnsetInputs | null;
  readonly band: PersonalBand | null;
  readonly error: string | null;
}

const EMPTY: PersonalBandState = { loading: false, inputs: null, band: null, error: null };

/**
 * A patient's personal band (Ce at reported dissociation onset per session, from what was actually
 * given), computed in the live worker from the sessions given, or read from the database when only the
 * patient id is given; recomputed after every write to the course database.
 */
export function usePersonalBand(patientId: string | null, sessions?: readonly SessionWithLog[] | null): PersonalBandState {
  const rev = useStore(courseRevision, (n) => n);
  const [state, setState] = useState<PersonalBandState>(EMPTY);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `rev` is the trigger: recomputed after every write to the course database
  useEffect(() => {
    if (!patientId) {
      setState(EMPTY);
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    // The sessions' logs are replayed in the storage worker; the band is computed in the live worker.
    const read = sessions ? courseStore().onsetInputsOf(sessions) : courseStore().onsetInputs(patientId);
    read
      .then(async (inputs) => {
        if (!inputs.input) {
          if (live) setState({ loading: false, inputs, band: null, error: null });
          return;
        }
        const r = await liveClient().personalBand(inputs.input);
        if (!live) return;
        if (r.ok) setState({ loading: false, inputs, band: r.band, error: null });
        else setState({ loading: false, inputs, band: null, error: r.problems.map((p) => `${p.path}: ${p.message}`).join('; ') });
      })
      .catch((e) => {
        if (live && !isAbortError(e)) setState({ loading: false, inputs: null, band: null, error: (e as Error).message });
      });
    return () => {
      live = false;
    };
  }, [patientId, sessions, rev]);
  return state;
}
