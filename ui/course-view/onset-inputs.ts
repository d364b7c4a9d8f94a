/**
 * The sessions that feed a patient's personal band (ui/course-view/course-model.ts's data, with the live
 * log's course semantics of engine/live). Runs in the storage worker (ui/storage/storage-api.ts), never on
 * the main thread: it replays each session's log.
 */
import type { Plan } from '../../engine/plan.ts';
import { buildCourse, currentActions, givenRegimen } from '../../engine/live/index.ts';
import type { OnsetSession, PersonalBandInput } from '../../engine/pd/personal-band.ts';
import type { SessionWithLog } from '../storage/store.ts';
import { byStart, modelLabel } from './course-model.ts';

/** Why a session does not feed the personal band. */
export interface ExcludedSession {
  readonly sessionId: string;
  readonly reason: string;
}

export interface OnsetInputs {
  /** The engine's input (null when no session qualifies). */
  readonly input: PersonalBandInput | null;
  /** Session ids behind input.sessions, in the same order. */
  readonly sessionIds: readonly string[];
  readonly excluded: readonly ExcludedSession[];
  /** The model the band is computed with (that of the latest qualifying session). */
  readonly modelLabel: string | null;
}

/**
 * The sessions that feed a patient's personal band, with what was actually given in each (the live
 * log's course up to the session's end, engine/live/course.ts) and the reported onset minute. Only
 * finished sessions with an onset within the session count; Ce depends on the model's ke0, so only
 * sessions predicted with one model (that of the latest qualifying session) are combined, and the
 * others are listed with the reason.
 */
export function onsetInputs(sessions: readonly SessionWithLog[]): OnsetInputs {
  const excluded: ExcludedSession[] = [];
  const candidates: { id: string; plan: Plan; s: OnsetSession }[] = [];
  for (const { session, log } of byStart(sessions)) {
    const onset = session.notes.dissociationOnsetMin;
    if (onset === undefined) {
      excluded.push({ sessionId: session.id, reason: 'no onset minute recorded' });
      continue;
    }
    if (session.status !== 'finished' || session.endedAtMin === null) {
      excluded.push({ sessionId: session.id, reason: `the session is ${session.status}` });
      continue;
    }
    const end = session.endedAtMin;
    if (!(onset > 0)) {
      excluded.push({ sessionId: session.id, reason: 'an onset at minute 0 has no concentration before it' });
      continue;
    }
    if (onset > end) {
      excluded.push({ sessionId: session.id, reason: `onset ${onset} min is after the session end (${end.toFixed(1)} min)` });
      continue;
    }
    const course = buildCourse(session.plan, currentActions(log));
    if (course.problems.length) {
      excluded.push({ sessionId: session.id, reason: 'its log is inconsistent with its plan' });
      continue;
    }
    candidates.push({
      id: session.id,
      plan: session.plan,
      s: { regimen: givenRegimen(course, end), onsetMin: onset, durationMin: end, patient: session.plan.patient },
    });
  }
  if (candidates.length === 0) return { input: null, sessionIds: [], excluded, modelLabel: null };
  const ref = candidates[candidates.length - 1].plan;
  const refKey = JSON.stringify(ref.model);
  const used = candidates.filter((c) => JSON.stringify(c.plan.model) === refKey);
  for (const c of candidates)
    if (JSON.stringify(c.plan.model) !== refKey)
      excluded.push({
        sessionId: c.id,
        reason: `predicted with another model (${modelLabel(c.plan)}); Ce at onset is comparable only within one model (${modelLabel(ref)})`,
      });
  return {
    input: { patient: ref.patient, model: ref.model, sessions: used.map((c) => c.s) },
    sessionIds: used.map((c) => c.id),
    excluded,
    modelLabel: modelLabel(ref),
  };
}
