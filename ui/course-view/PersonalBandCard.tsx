// `PersonalBandCard`: Ce at reported onset per session, mean/SD/range beside the population band.
import { memo, useMemo, useRef } from 'react';
import type { SessionWithLog } from '../storage/store.ts';
import { conc, formatSig } from '../format.ts';
import { useWidth } from '../hooks/use-width.ts';
import { plain } from '../live/live-model.ts';
import { POPULATION_WINDOW } from '../live/planner-model.ts';
import { usePersonalBand } from './usePersonalBand.ts';
import { dateText } from './course-model.ts';

/** Up to this many sessions the band is computed from the sessions the view holds; beyond, the worker reads them. */
const SEND_SESSIONS_UP_TO = 200;

/**
 * The patient's personal band beside the population band: Ce at the reported onset of dissociation in
 * each session (from what was actually given, with the exact engine), its mean, SD and range, "based on
 * N sessions". A model-based estimate: it inherits the model's ke0 and is comparable only within one
 * model; co-medication can shift it (see the session notes).
 */
export const PersonalBandCard = memo(function PersonalBandCard({
  patientId,
  sessions,
}: {
  patientId: string;
  sessions: readonly SessionWithLog[];
}) {
  // a long course is read again by the storage worker itself rather than sent back to it from this thread
  const pb = usePersonalBand(patientId, sessions.length > SEND_SESSIONS_UP_TO ? null : sessions);
  const band = pb.band;
  const n = band?.ce.n ?? 0;
  // each session's number, by id (made once per list: a course may hold 10,000 sessions)
  const byId = useMemo(() => new Map(sessions.map((s, i) => [s.session.id, { n: i + 1, s }])), [sessions]);
  return (
    <section className="panel" aria-labelledby="personal-h" data-testid="personal-band">
      <div className="panel-head">
        <h2 id="personal-h">Personal band: Ce at dissociation onset</h2>
        {pb.loading ? (
          <span className="busy">
            <span className="spinner" aria-hidden="true" /> computing…
          </span>
        ) : null}
      </div>
      {pb.error ? (
        <p className="field-error" role="alert">
          {pb.error}
        </p>
      ) : null}
      <div className="personal-compare">
        <div>
          <h3>Population</h3>
          <p>
            Dissociation band{' '}
            <strong>
              {POPULATION_WINDOW.lowNgMl}–{POPULATION_WINDOW.highNgMl} ng/mL
            </strong>
          </p>
          <p className="hint">{POPULATION_WINDOW.citation}</p>
        </div>
        <div data-testid="personal-summary">
          <h3>This patient</h3>
          {band && n > 0 ? (
            <>
              <p>
                Mean Ce at onset <strong>{conc(band.ce.meanNgMl!)}</strong>
                {band.ce.sdNgMl !== null ? <> (SD {formatSig(band.ce.sdNgMl, 3)} ng/mL)</> : null}, range {conc(band.ce.minNgMl!)}{' '}
                – {conc(band.ce.maxNgMl!)}
              </p>
              <p>
                <strong data-testid="personal-n">
                  based on {n} session{n === 1 ? '' : 's'}
                </strong>
                {n < 3 ? ' (few sessions: treat as a first impression)' : ''}; model {pb.inputs?.modelLabel}, ke0{' '}
                {formatSig(band.ke0PerMin, 3)} /min ({band.ke0Source}).
              </p>
            </>
          ) : (
            <p className="muted">No session has a reported onset minute yet: add it in a session's notes.</p>
          )}
        </div>
      </div>
      {band && n > 0 ? <BandStrip values={band.sessions.map((x) => x.ceNgMl)} mean={band.ce.meanNgMl!} /> : null}
      {band && n > 0 ? (
        <table className="metrics">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Onset</th>
              <th scope="col">Ce at onset</th>
              <th scope="col">Cp at onset</th>
            </tr>
          </thead>
          <tbody>
            {band.sessions.map((x, i) => {
              const id = pb.inputs?.sessionIds[i];
              const info = id ? byId.get(id) : undefined;
              return (
                <tr key={i}>
                  <td>
                    {info
                      ? `${info.n}${info.s.session.startEpochMs !== null ? ` · ${dateText(info.s.session.startEpochMs)}` : ''}`
                      : i + 1}
                  </td>
                  <td>{plain(x.onsetMin)} min</td>
                  <td className="value">{conc(x.ceNgMl)}</td>
                  <td>{conc(x.cpNgMl)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {pb.inputs?.excluded.length ? (
        <details className="more">
          <summary>
            {pb.inputs.excluded.length} session{pb.inputs.excluded.length === 1 ? '' : 's'} not counted
          </summary>
          <ul>
            {pb.inputs.excluded.map((e) => (
              <li key={e.sessionId}>
                Session {byId.get(e.sessionId)?.n ?? '?'}: {e.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className="hint">
        Predicted Ce at the minute the patient reported onset, from what the pump and syringe actually gave (the live log). A
        model estimate, not a measurement: it depends on the model's ke0 (Domino 1984's is analgesia-linked, Navarrete 2025).
        Lamotrigine and benzodiazepines may change the response (see the session notes); no band is moved for them. The planner in
        Live mode can target this band.
      </p>
    </section>
  );
});

/** The population band and each session's Ce at onset on one concentration axis. */
function BandStrip({ values, mean }: { values: readonly number[]; mean: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = Math.max(240, useWidth(ref));
  const top = Math.max(POPULATION_WINDOW.highNgMl * 1.2, ...values.map((v) => v * 1.15));
  const X = (v: number) => 20 + (v / top) * (width - 40);
  const ticks: number[] = [];
  const step = top > 600 ? 200 : top > 300 ? 100 : 50;
  for (let v = 0; v <= top; v += step) ticks.push(v);
  const lo = Math.min(...values),
    hi = Math.max(...values);
  return (
    <div ref={ref} className="band-strip">
      <svg
        width={width}
        height={70}
        role="img"
        aria-label={`Ce at onset per session (${values.map((v) => formatSig(v, 4)).join(', ')} ng/mL) against the population band ${POPULATION_WINDOW.lowNgMl}–${POPULATION_WINDOW.highNgMl} ng/mL`}
      >
        <rect
          x={X(POPULATION_WINDOW.lowNgMl)}
          y={8}
          width={X(POPULATION_WINDOW.highNgMl) - X(POPULATION_WINDOW.lowNgMl)}
          height={30}
          fill="#2196f3"
          fillOpacity={0.15}
          stroke="#2196f3"
          strokeOpacity={0.5}
        />
        <text x={X(POPULATION_WINDOW.highNgMl) - 4} y={20} fontSize={10} textAnchor="end" fill="#0d47a1">
          population
        </text>
        <line x1={X(lo)} x2={X(hi)} y1={30} y2={30} stroke="#6a1b9a" strokeWidth={3} strokeOpacity={0.5} />
        {values.map((v, i) => (
          <circle key={i} cx={X(v)} cy={30} r={5} fill="#6a1b9a" />
        ))}
        <line x1={X(mean)} x2={X(mean)} y1={14} y2={40} stroke="#4a148c" strokeWidth={2} />
        <line x1={20} x2={width - 20} y1={44} y2={44} stroke="#90a4ae" />
        {ticks.map((v) => (
          <text key={v} x={X(v)} y={58} fontSize={10} textAnchor="middle" fill="#5f6b76">
            {v}
          </text>
        ))}
        <text x={width - 20} y={68} fontSize={10} textAnchor="end" fill="#5f6b76">
          Ce, ng/mL
        </text>
      </svg>
    </div>
  );
}
