// `ketasim titrate`: pump flags → `planTitration`; prints a plan with the proposal, or exit 2 with the reason.
import { doseLimitsOf, LIMITS_HELP, parseArgs, readPlan, registerCommand, UsageError, type Io } from './main.ts';
import { writeOutput, warningLine } from './output.ts';
import { doseSafetyWarnings } from '../engine/safety/dose-safety.ts';
import type { Plan } from '../engine/plan.ts';
import { isRateUnit, unitProblem } from '../engine/units.ts';
import { defaultWindow } from '../engine/tci/window.ts';
import {
  checkTitrationRequest,
  DEFAULT_MIN_FRACTION,
  DEFAULT_PUMP,
  planTitration,
  type TitrationProposal,
  type TitrationRequest,
} from '../engine/tci/index.ts';

/**
 * `ketasim titrate`: propose a syringe-pump programme that holds Ce (or Cp) in a window, as a plan.
 * The plan goes to stdout (or --out); a summary goes to stderr. A window the planner cannot hold
 * under the constraints is exit status 2 with one line naming the reason's code and numbers, and no
 * plan: a programme that misses the window is not printed as if it were a proposal.
 */
export const TITRATE_USAGE = `usage: ketasim titrate PLAN.json --reach-min M --duration-min D [options]

Proposes a syringe-pump programme that keeps the effect-site (or plasma) concentration inside a window
from M minutes until the end of a D-minute session, and prints it as a plan (docs/PLAN-FORMAT.md): the
input plan's patient, model and thresholds, the proposed regimen in place of its regimen, horizonMin =
D (or the input's if longer), the input's resolutionSec. A summary goes to standard error.

  --low NGML, --high NGML   the window, ng/mL (default: the plan's "dissociation" threshold if it has
                            one, else the default dissociation band ${defaultWindow().lowNgMl}–${defaultWindow().highNgMl} ng/mL, engine/pd/bands.ts)
  --reach-min M             minutes by which the concentration must be in the window (required)
  --duration-min D          session length, min; the pump stops at D (required)
  --mode effect|plasma      hold Ce (default) or Cp
  --max-cp NGML             effect mode: Cp never above this (default: the window's high bound, so Ce
                            cannot overshoot whatever the true ke0)
Pump settings (your equipment and protocol, not clinical recommendations):
  --unit U                  unit of --max-rate and --rate-step and of the proposed rates (default ${DEFAULT_PUMP.unit})
  --max-rate R              highest rate (default ${DEFAULT_PUMP.maxRate} ${DEFAULT_PUMP.unit})
  --rate-step S             programmable increment; every rate is a multiple (default ${DEFAULT_PUMP.rateStep} ${DEFAULT_PUMP.unit})
  --min-interval N          at most one change every N min, at 0, N, 2N, … (default ${DEFAULT_PUMP.minIntervalMin})
  --max-bolus MG_PER_KG     allow a loading dose at 0 up to this, mg/kg (default ${DEFAULT_PUMP.maxBolusMgPerKg}: none)
  --bolus-step MG_PER_KG    bolus increment, mg/kg (default ${DEFAULT_PUMP.bolusStepMgPerKg})
  --min-fraction F          required fraction of time in the window from M to D (default ${DEFAULT_MIN_FRACTION})
  --out FILE                write the plan to FILE instead of standard output

Exit status: 0 with a plan when the window is held; 2 for invalid arguments or plan, and 2 when the window
cannot be held, with one line "titrate: unreachable (CODE): why" where CODE is one of
cp-cap-below-window, unreachable-max-rate, too-late, window-too-narrow-for-step, window-not-held
(and no plan); 1 when the output cannot be written or for an internal error. The output is a plan, so it
carries no "meta" (a plan with an unknown field is refused); warnings go to standard error.
${LIMITS_HELP}`;

const FLAGS = {
  low: 'value',
  high: 'value',
  'reach-min': 'value',
  'duration-min': 'value',
  mode: 'value',
  'max-cp': 'value',
  unit: 'value',
  'max-rate': 'value',
  'rate-step': 'value',
  'min-interval': 'value',
  'max-bolus': 'value',
  'bolus-step': 'value',
  'min-fraction': 'value',
  out: 'value',
  help: 'flag',
} as const;

/** Request field paths (engine/tci/request.ts) → the flag a user typed. */
const FLAG_OF: Record<string, string> = {
  'window.lowNgMl': '--low',
  'window.highNgMl': '--high',
  reachMin: '--reach-min',
  durationMin: '--duration-min',
  mode: '--mode',
  maxCpNgMl: '--max-cp',
  'pump.unit': '--unit',
  'pump.maxRate': '--max-rate',
  'pump.rateStep': '--rate-step',
  'pump.minIntervalMin': '--min-interval',
  'pump.maxBolusMgPerKg': '--max-bolus',
  'pump.bolusStepMgPerKg': '--bolus-step',
  minFractionInWindow: '--min-fraction',
  resolutionSec: 'resolutionSec',
  horizonMin: 'horizonMin',
};

const pct = (f: number): string => `${(100 * f).toFixed(1)}%`;
const r1 = (x: number): string => String(Math.round(x * 10) / 10);

/** The request a command line and a plan make. Throws UsageError naming the flag for a bad value. */
export function titrationRequest(plan: Plan, flags: Record<string, string>): TitrationRequest {
  const problems: string[] = [];
  const number = (name: string): number | undefined => {
    const v = flags[name];
    if (v === undefined) return undefined;
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) {
      problems.push(`--${name}: must be a number, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return x;
  };
  const reachMin = number('reach-min');
  const durationMin = number('duration-min');
  if (flags['reach-min'] === undefined)
    problems.push('--reach-min: required; minutes by which the concentration must be in the window');
  if (flags['duration-min'] === undefined) problems.push('--duration-min: required; the session length in minutes');
  const planBand = plan.thresholds?.find((b) => b.id === 'dissociation');
  const dw = defaultWindow();
  const fallback = planBand && planBand.highNgMl !== undefined ? { lowNgMl: planBand.lowNgMl, highNgMl: planBand.highNgMl } : dw;
  const low = number('low'),
    high = number('high');
  const mode = flags.mode;
  if (mode !== undefined && mode !== 'effect' && mode !== 'plasma')
    problems.push(`--mode: must be "effect" or "plasma", got ${JSON.stringify(mode)}`);
  const unit = flags.unit;
  const unitWrong = unit === undefined ? null : unitProblem('rate', unit, 'a pump');
  if (unitWrong !== null) problems.push(`--unit: ${unitWrong}`);
  const pump = {
    unit: unit !== undefined && isRateUnit(unit) ? unit : undefined,
    maxRate: number('max-rate'),
    rateStep: number('rate-step'),
    minIntervalMin: number('min-interval'),
    maxBolusMgPerKg: number('max-bolus'),
    bolusStepMgPerKg: number('bolus-step'),
  };
  const maxCp = number('max-cp');
  const minFraction = number('min-fraction');
  if (problems.length) throw new UsageError(problems);
  const req: TitrationRequest = {
    patient: plan.patient,
    model: plan.model,
    window: { lowNgMl: low ?? fallback.lowNgMl, highNgMl: high ?? fallback.highNgMl },
    reachMin: reachMin!,
    durationMin: durationMin!,
    mode: (mode as 'effect' | 'plasma' | undefined) ?? 'effect',
    ...(maxCp !== undefined && { maxCpNgMl: maxCp }),
    pump,
    resolutionSec: plan.resolutionSec,
    ...(minFraction !== undefined && { minFractionInWindow: minFraction }),
    horizonMin: Math.max(durationMin!, plan.horizonMin),
  };
  const bad = checkTitrationRequest(req);
  if (bad.length) throw new UsageError(bad.map((p) => `${FLAG_OF[p.path] ?? p.path}: ${p.message}`));
  return req;
}

/** The proposal as a plan: the input's patient, model, thresholds and grid; the proposed regimen. */
export function proposalPlan(plan: Plan, r: TitrationProposal): Record<string, unknown> {
  const s = r.settings;
  const label = `titrate: ${s.mode === 'effect' ? 'Ce' : 'Cp'} ${s.window.lowNgMl}-${s.window.highNgMl} ng/mL from ${s.reachMin} to ${s.durationMin} min`;
  return {
    patient: plan.patient,
    model: plan.model,
    regimen: r.regimen,
    horizonMin: s.horizonMin,
    resolutionSec: plan.resolutionSec,
    ...(plan.thresholds !== undefined && { thresholds: plan.thresholds }),
    label,
  };
}

/** Summary lines for standard error. */
export function summaryLines(r: TitrationProposal): string[] {
  const m = r.metrics,
    s = r.settings;
  const conc = m.target === 'ce' ? 'Ce' : 'Cp';
  const held = m.target === 'ce' ? m.ce : m.cp;
  const lines = [
    `titrate: ok: ${conc} in ${s.window.lowNgMl}-${s.window.highNgMl} ng/mL for ${pct(m.fractionInWindow)} of ${r1(held.evaluatedFromMin)}-${r1(held.evaluatedToMin)} min (required ${pct(s.minFractionInWindow)}); first in window at ${m.firstInWindowMin === null ? 'never' : r1(m.firstInWindowMin) + ' min'}`,
    `  max Ce ${r1(m.maxCeNgMl)} ng/mL, max Cp ${r1(m.maxCpNgMl)} ng/mL${s.maxCpNgMl !== null ? ` (cap ${s.maxCpNgMl})` : ''}; Ce in window ${pct(m.ce.fractionInWindow)}, Cp in window ${pct(m.cp.fractionInWindow)}`,
    `  loading dose ${m.bolusMgPerKg > 0 ? m.bolusMgPerKg + ' mg/kg' : 'none'}; ${m.rateChanges} rate change(s); total ${r1(m.totalDoseMg)} mg (${m.totalDoseMgPerKg.toFixed(3)} mg/kg) over ${s.durationMin} min`,
    `  pump: ${r.steps.map((p) => `${p.atMin} min → ${p.rate} ${p.unit}`).join('; ')}`,
    `  model ${r.model.id}, ke0 ${r.model.ke0PerMin.toPrecision(4)} /min (${r.model.ke0Source})`,
  ];
  for (const w of r.warnings) lines.push(warningLine(w));
  return lines;
}

/** Run the command with an explicit standard-error writer (tests pass their own). */
export async function runTitrate(args: string[], io: Io, err: (line: string) => void): Promise<void> {
  const { positional, flags } = parseArgs(args, { ...FLAGS });
  if (flags.help) {
    await io.write(TITRATE_USAGE + '\n');
    return;
  }
  const limits = doseLimitsOf(io);
  const plan = await readPlan(positional, io);
  const r = planTitration(titrationRequest(plan, flags));
  if (!r.ok) throw new UsageError([`titrate: unreachable (${r.code}): ${r.reasons[0].message}`]);
  await writeOutput([JSON.stringify(proposalPlan(plan, r), null, 2) + '\n'], flags.out, io);
  for (const line of summaryLines(r)) err(line);
  // The proposal is a regimen like any other: the dose-safety checks apply to it (the input's regimen is not used).
  const proposed = { ...plan, regimen: r.regimen, horizonMin: r.settings.horizonMin };
  for (const w of doseSafetyWarnings(proposed, limits)) err(warningLine(w));
}

registerCommand('titrate', runTitrate, {
  doseLimits: true,
  summary: `  ketasim titrate PLAN.json --low NGML --high NGML --reach-min M --duration-min D [--max-rate R --rate-step S --min-interval N --unit mg/kg/h]
                  [--mode effect|plasma] [--max-bolus MG_PER_KG] [--max-cp NGML] [--out FILE]
                  prints a plan whose regimen is the proposal; an unreachable window exits 2 with the reason`,
  usage: TITRATE_USAGE,
});
