// `CalendarAxis`: sessions on dates, stabilisation window, maintenance due window (red when overdue), today.
import { memo, useMemo, useRef } from 'react';
import type { CourseSettings } from '../course/schedule.ts';
import { useWidth } from '../hooks/use-width.ts';
import { DAY_MS, dateText, dayMonthText, type CalendarModel } from './course-model.ts';

const H = 118;
const PAD = 16;
const AXIS_Y = 76;
/** Session marks in the same spot of this many px are drawn as one, its title counting the others (a course of thousands). */
const MARK_SPOT_PX = 8;
/** Least distance between tick labels, px: "5 Jan" and "5 Jan 2026" at 10.5 px. */
const LABEL_PX = 44;
const LABEL_PX_WITH_YEAR = 72;

/**
 * The course on a calendar axis: each session as a numbered dot at its date, the stabilisation window
 * (first session + the protocol's maximum weeks), the window in which the next maintenance session is
 * due (red once overdue), and today. Dates in the browser's time zone.
 */
/**
 * At most one session mark per few pixels (a course of thousands of sessions would otherwise draw thousands
 * of overlapping circles): the first session of each spot is drawn, and its title counts the others.
 */
function thin<T>(items: readonly T[], spot: (t: T) => number): { item: T; more: number }[] {
  const out: { item: T; more: number }[] = [];
  let last: number | null = null;
  for (const it of items) {
    const k = spot(it);
    if (k === last && out.length) out[out.length - 1].more++;
    else out.push({ item: it, more: 0 });
    last = k;
  }
  return out;
}

export const CalendarAxis = memo(function CalendarAxis({ model, settings }: { model: CalendarModel; settings: CourseSettings }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const w = Math.max(200, width);
  const X = (f: number) => PAD + f * (w - 2 * PAD);
  const m = model.maintenance;
  const s = model.stabilisation;
  const marks = useMemo(
    () => thin(model.sessions, (p) => Math.round((PAD + p.x * (w - 2 * PAD)) / MARK_SPOT_PX)),
    [model.sessions, w],
  );
  // tick labels at least LABEL_PX apart (the year in them once the axis spans more than a year)
  const years = model.endMs - model.startMs > 365 * DAY_MS;
  const tickText = years ? dateText : dayMonthText;
  const tickPx = model.ticks.length > 1 ? X(model.ticks[1].x) - X(model.ticks[0].x) : Infinity;
  const labelEvery = Math.max(1, Math.ceil((years ? LABEL_PX_WITH_YEAR : LABEL_PX) / tickPx));
  const summary = [
    `${model.sessions.length} session${model.sessions.length === 1 ? '' : 's'} from ${model.sessions.length ? dateText(model.sessions[0].atMs) : '–'}`,
    s ? `stabilisation window ${dateText(s.fromMs)} to ${dateText(s.toMs)}` : null,
    m ? `next maintenance due ${dateText(m.fromMs)} to ${dateText(m.toMs)}${m.overdue ? ', overdue' : ''}` : null,
    `today ${dateText(model.today.atMs)}`,
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <div ref={ref} className="calendar-axis" data-testid="calendar-axis">
      <svg width={w} height={H} role="img" aria-label={`Calendar: ${summary}.`}>
        {s ? (
          <g className="cal-stab">
            <rect
              x={X(s.x0)}
              y={14}
              width={Math.max(2, X(s.x1) - X(s.x0))}
              height={AXIS_Y - 14}
              fill="#e3f2fd"
              stroke="#90caf9"
            />
            <text x={X(s.x0) + 4} y={26} fontSize={11} fill="#0d47a1">
              stabilisation: {settings.stabilisationSessions} sessions within {settings.stabilisationWeeks.max} weeks (protocol
              setting)
            </text>
          </g>
        ) : null}
        {m ? (
          <g className="cal-maint">
            <rect
              x={X(m.x0)}
              y={30}
              width={Math.max(2, X(m.x1) - X(m.x0))}
              height={AXIS_Y - 30}
              fill={m.overdue ? '#ffebee' : '#e8f5e9'}
              stroke={m.overdue ? '#e57373' : '#81c784'}
            />
            <text x={X(m.x0) + 4} y={42} fontSize={11} fill={m.overdue ? '#b71c1c' : '#1b5e20'}>
              {m.overdue ? 'maintenance OVERDUE' : 'next maintenance due'} ({settings.maintenanceIntervalWeeks.min}–
              {settings.maintenanceIntervalWeeks.max} wk, protocol setting)
            </text>
          </g>
        ) : null}
        <line x1={PAD} x2={w - PAD} y1={AXIS_Y} y2={AXIS_Y} stroke="#90a4ae" />
        {model.ticks.map((t, i) => (
          <g key={t.atMs}>
            <line x1={X(t.x)} x2={X(t.x)} y1={AXIS_Y} y2={AXIS_Y + 5} stroke="#90a4ae" />
            {i % labelEvery === 0 ? (
              <text x={X(t.x)} y={AXIS_Y + 17} fontSize={10.5} textAnchor="middle" fill="#5f6b76">
                {tickText(t.atMs)}
              </text>
            ) : null}
          </g>
        ))}
        {marks.map(({ item: p, more }) => (
          <g key={p.id}>
            <circle
              cx={X(p.x)}
              cy={AXIS_Y - 9}
              r={7}
              fill={p.status === 'finished' ? '#6a1b9a' : '#fff'}
              stroke="#6a1b9a"
              strokeWidth={2}
            >
              <title>
                Session {p.n}, {dateText(p.atMs)} ({p.status}
                {p.byHand ? ', entered by hand' : ''}){more ? ` and ${more} more on the same spot` : ''}
              </title>
            </circle>
            <text
              x={X(p.x)}
              y={AXIS_Y - 5.5}
              fontSize={9}
              textAnchor="middle"
              fill={p.status === 'finished' ? '#fff' : '#6a1b9a'}
            >
              {p.n}
            </text>
          </g>
        ))}
        <g className="cal-today">
          <line
            x1={X(model.today.x)}
            x2={X(model.today.x)}
            y1={8}
            y2={AXIS_Y + 4}
            stroke="#c62828"
            strokeWidth={2}
            strokeDasharray="4 3"
          />
          <text x={X(model.today.x)} y={H - 4} fontSize={11} textAnchor="middle" fill="#c62828" fontWeight={700}>
            today
          </text>
        </g>
      </svg>
    </div>
  );
});
