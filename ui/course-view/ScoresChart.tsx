// `ScoresChart`: PHQ-9, GAD-7, PCL-5 over session number, one chart per instrument.
import { memo } from 'react';
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import { SCORE_RANGES, type ScoreId } from '../storage/records.ts';
import type { SessionWithLog } from '../storage/store.ts';
import { SCORE_IDS, dateText } from './course-model.ts';
import { useStaged } from './useStaged.ts';

const COLORS: Record<ScoreId, string> = { phq9: '#6a1b9a', gad7: '#00897b', pcl5: '#ef6c00' };

/** No vertical grid lines (recharts would otherwise work them out, measuring every x tick label, and not draw them). */
const NO_GRID_POINTS = (): number[] => [];

/** The most sessions drawn in the score charts (a course longer than this shows its latest sessions). */
export const MAX_CHART_SESSIONS = 100;

/**
 * Outcome scores over the sessions: one small chart per instrument on its own scale (PHQ-9 0–27,
 * GAD-7 0–21, PCL-5 0–80), x = session number; sessions without a score leave a gap.
 */
export const ScoresChart = memo(function ScoresChart({ sessions }: { sessions: readonly SessionWithLog[] }) {
  // a very long course: the charts show the latest MAX_CHART_SESSIONS sessions (said under the heading)
  const from = Math.max(0, sessions.length - MAX_CHART_SESSIONS);
  const rows = sessions.slice(from).map((s, i) => ({ n: from + i + 1, date: s.session.startEpochMs, ...s.session.scores }));
  const any = SCORE_IDS.some((id) => rows.some((r) => r[id] !== undefined));
  // a long course draws its charts one per task (each recharts chart measures its text on mounting); the
  // axes draw every tick (interval 0) and the grid only its horizontal lines, so recharts does not measure
  // each tick label in the page (a forced layout per label) to thin them
  const shown = useStaged(SCORE_IDS.length, sessions.length > MAX_CHART_SESSIONS);
  return (
    <section className="panel" aria-labelledby="scores-h" data-testid="course-scores">
      <h2 id="scores-h">Outcome scores over sessions</h2>
      {from > 0 ? (
        <p className="hint" data-testid="scores-latest">
          Showing the latest {MAX_CHART_SESSIONS} of {sessions.length} sessions (sessions {from + 1}–{sessions.length}); every
          score is in the sessions table.
        </p>
      ) : null}
      {!any ? (
        <p className="muted">No scores recorded yet: enter them in the sessions table.</p>
      ) : (
        <div className="scores-grid">
          {SCORE_IDS.map((id, k) => {
            const r = SCORE_RANGES[id];
            if (k >= shown)
              return (
                <p key={id} className="muted" data-testid="course-drawing">
                  <span className="spinner" aria-hidden="true" /> Drawing the {r.name} chart…
                </p>
              );
            const values = rows
              .filter((x) => x[id] !== undefined)
              .map((x) => `session ${x.n}${x.date !== null ? ` (${dateText(x.date)})` : ''}: ${x[id]}`);
            if (values.length === 0) {
              return (
                <figure key={id} className="score-chart empty">
                  <figcaption>
                    {r.name} total{' '}
                    <span className="muted">
                      ({r.min}–{r.max})
                    </span>
                  </figcaption>
                  <p className="muted">none recorded</p>
                </figure>
              );
            }
            return (
              <figure
                key={id}
                className="score-chart"
                role="img"
                aria-label={`${r.name} totals (${r.min}–${r.max}): ${values.join('; ')}`}
              >
                <figcaption>
                  {r.name} total{' '}
                  <span className="muted">
                    ({r.min}–{r.max})
                  </span>
                </figcaption>
                <LineChart
                  width={260}
                  height={130}
                  data={rows}
                  margin={{ top: 6, right: 10, bottom: 2, left: 0 }}
                  accessibilityLayer={false}
                >
                  <CartesianGrid
                    strokeDasharray="3 3"
                    stroke="#e3e6ea"
                    vertical={false}
                    verticalCoordinatesGenerator={NO_GRID_POINTS}
                  />
                  <XAxis
                    dataKey="n"
                    type="number"
                    domain={[from + 1, Math.max(from + 2, sessions.length)]}
                    allowDecimals={false}
                    tickCount={Math.min(sessions.length >= 1000 ? 5 : 8, Math.max(2, rows.length))}
                    interval={0}
                    fontSize={11}
                    label={{ value: 'session', position: 'insideBottomRight', offset: 0, fontSize: 10 }}
                    height={28}
                  />
                  <YAxis domain={[r.min, r.max]} width={30} fontSize={11} allowDecimals={false} interval={0} />
                  <Line
                    dataKey={id}
                    stroke={COLORS[id]}
                    strokeWidth={2}
                    dot={rows.length > 40 ? false : { r: 3 }}
                    connectNulls
                    isAnimationActive={false}
                  />
                </LineChart>
              </figure>
            );
          })}
        </div>
      )}
    </section>
  );
});
