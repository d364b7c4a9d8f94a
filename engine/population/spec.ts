// `preparePopulation`/`checkRequest`: plan + request → `PopulationJob`; variability decisions (published ω², assumed CV, varied ke0).
import { totalDoseMg } from '../dosing/actions.ts';
import { lastDoseEnd } from '../metrics.ts';
import { fromClearanceParameters, fromMicroParameters } from '../models/structures.ts';
import { bandsForPlan } from '../pd/bands.ts';
import { isClearanceModel, type Band, type Plan, type Problem } from '../plan.ts';
import { planActions, resolveModel } from '../predict.ts';
import { DEFAULT_DOSE_LIMITS, type DoseLimits } from '../safety/dose-safety.ts';
import { gridTime } from '../simulate.ts';
import { WarningSink } from '../warnings.ts';
import { MAX_SEED } from './prng.ts';
import type { PopulationJob, PopulationLayout, StructureRecipe } from './types.ts';
import { buildVariability, DEFAULT_CV, MAX_CV } from './variability.ts';

/**
 * From a validated plan and the population request to the plain-data job the workers run.
 *
 * Variability (decided here, shown with every result):
 * - Published ω² and covariances of the model record are used as published, with their source.
 * - Every other parameter — and all parameters of a custom model — gets the user's CV (default 30%),
 *   ω² = ln(1 + CV²), independent of the others, labelled ASSUMPTION wherever it appears.
 * - ke0 varies too (log-normal, the user's CV, independent of the PK parameters): none of the models
 *   publishes ke0 variability, and a fixed ke0 would understate the spread of Ce. Its typical value is
 *   the ke0 the plan resolves to (published, derived for the typical patient, override or custom); a
 *   derived ke0 is not re-derived per virtual patient, which would silently tie it to PK variability.
 * - Virtual patients share the plan's covariates (weight, age …): the population shows
 *   inter-individual variability at these covariates, not a spread of body sizes.
 */

/** Most virtual patients a job accepts. */
export const MAX_PATIENTS = 1_000_000;
/** Percentiles reported by default. */
export const DEFAULT_PERCENTILES: readonly number[] = [5, 25, 50, 75, 95];
/** Values per series held per block (N × block size; 2^20 doubles = 8 MB per series and buffer). */
const BLOCK_VALUES = 1 << 20;

/**
 * Parameters a registry model does not let vary, with the reason (a fraction can not be log-normal
 * without exceeding 1). Belongs on the model record; kept here until engine/models grows such a field.
 */
export const NOT_VARIED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'simons-2022-s-ketamine-arterial': {
    fmNk: 'not varied: fraction of S-ketamine clearance forming S-norketamine, fixed (not estimated) in Simons 2022; a log-normal fraction could exceed 1',
  },
};

export interface PopulationRequest {
  /** Number of virtual patients, 1 … MAX_PATIENTS. */
  readonly n: number;
  /** Seed, an integer 0 … 2⁵³ − 1. */
  readonly seed: number;
  /** CV (fraction, 0 … 3) for parameters without published variability; default 0.3. */
  readonly cv?: number;
  /** Percentiles of cp and ce, 0–100 (default 5, 25, 50, 75, 95). */
  readonly percentiles?: readonly number[];
  /** Per-patient metrics (default true). */
  readonly metrics?: boolean;
}

export type PrepareResult = { ok: true; job: PopulationJob } | { ok: false; problems: Problem[] };

/** Block size for N patients on T grid points (memory and speed only; results never depend on it). */
export function populationLayout(n: number, count: number): PopulationLayout {
  const blockSize = Math.max(1, Math.min(count, 64, Math.max(4, Math.floor(BLOCK_VALUES / n))));
  return { blockSize, blocks: Math.ceil(count / blockSize) };
}

/** Check a request; problems name the field (`n`, `seed`, `cv`, `percentiles`). */
export function checkRequest(req: PopulationRequest): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isInteger(req.n) || req.n < 1 || req.n > MAX_PATIENTS) {
    problems.push({ path: 'n', message: `must be an integer between 1 and ${MAX_PATIENTS}, got ${req.n}` });
  }
  if (!Number.isSafeInteger(req.seed) || req.seed < 0 || req.seed > MAX_SEED) {
    problems.push({ path: 'seed', message: `must be an integer between 0 and ${MAX_SEED}, got ${req.seed}` });
  }
  if (req.cv !== undefined && !(Number.isFinite(req.cv) && req.cv >= 0 && req.cv <= MAX_CV)) {
    problems.push({ path: 'cv', message: `must be a number between 0 and ${MAX_CV} (a fraction: 0.3 is 30%), got ${req.cv}` });
  }
  if (req.percentiles !== undefined) {
    const p = req.percentiles;
    if (!Array.isArray(p) || p.length === 0 || p.length > 20 || !p.every((x) => Number.isFinite(x) && x >= 0 && x <= 100)) {
      problems.push({ path: 'percentiles', message: `must be 1 to 20 numbers between 0 and 100, got ${JSON.stringify(p)}` });
    }
  }
  return problems;
}

/**
 * Prepare the job for a validated plan. Bad request values are returned as problems, not thrown. The
 * job's warnings include the dose-safety checks under `limits` (as `predict`), and the S-ketamine band notice.
 */
export function preparePopulation(plan: Plan, req: PopulationRequest, limits: DoseLimits = DEFAULT_DOSE_LIMITS): PrepareResult {
  const problems = checkRequest(req);
  if (problems.length) return { ok: false, problems };
  const cv = req.cv ?? DEFAULT_CV;
  const sink = new WarningSink();
  const resolved = resolveModel(plan.model, plan.patient, sink);
  const def = resolved.definition;
  // IV only: the population kernels step no route compartments, so a non-IV dose throws here.
  const { actions, grid } = planActions(plan, resolved, null, limits, sink);
  const horizon = gridTime(grid, grid.count - 1);

  let recipe: StructureRecipe;
  if (def === null) recipe = isClearanceModel(plan.model) ? { kind: 'clearance' } : { kind: 'micro' };
  else if (def.structure === fromMicroParameters) recipe = { kind: 'micro' };
  else if (def.structure === fromClearanceParameters) recipe = { kind: 'clearance' };
  else recipe = { kind: 'registry', id: def.id };

  const modelName = def?.name ?? 'custom model';
  const ke0Why: Record<string, string> = {
    published: `the model record gives ${modelName}'s published ke0 as a population value, without inter-individual variability`,
    derived: `ke0 is derived for the typical patient (time-to-peak rule); no variability is published`,
    override: "ke0 is the plan's override; no variability is published",
    custom: 'ke0 of a custom model from the plan',
    transferred: `ke0 is transferred from another study's PK (${resolved.ke0Citation ?? 'see the model'}); its variability there is not carried over`,
  };
  const typical = [
    ...Object.entries(resolved.parameters).map(([name, value]) => ({ name, value })),
    { name: 'ke0', value: resolved.ke0 },
  ];
  const variability = buildVariability({
    typical,
    published: def?.variability ?? [],
    covariances: def?.covariances ?? [],
    fixed: def ? (NOT_VARIED[def.id] ?? {}) : {},
    cv,
    assumedWhy: (name) =>
      name === 'ke0'
        ? ke0Why[resolved.ke0Source]
        : def
          ? `${def.name} publishes no variability for ${name}`
          : `${name} of a custom model from the plan`,
  });

  const bands: Band[] = bandsForPlan(plan.thresholds, def).map((b) =>
    b.highNgMl === undefined ? { id: b.id, lowNgMl: b.lowNgMl } : { id: b.id, lowNgMl: b.lowNgMl, highNgMl: b.highNgMl },
  );
  const assumed = variability.parameters.filter((p) => p.kind === 'assumed').map((p) => p.name);
  const assumptions: string[] = [
    `Virtual patients share the plan's covariates (weight ${plan.patient.weightKg} kg${plan.patient.ageYears !== undefined ? `, age ${plan.patient.ageYears} y` : ''}); they differ only by inter-individual variability: θᵢ = θ_typical · exp(ηᵢ), η ~ N(0, Ω), typical value = median.`,
  ];
  if (assumed.length) {
    assumptions.push(
      `ASSUMPTION: ${assumed.join(', ')} ${assumed.length === 1 ? 'varies' : 'vary'} with CV ${Math.round(cv * 1000) / 10}% (ω² = ln(1 + CV²) = ${variability.parameters.find((p) => p.kind === 'assumed')!.omega2.toPrecision(4)}), independently of each other and of the published parameters — no published variability for ${assumed.length === variability.parameters.length ? 'any parameter of this model' : 'these parameters'}.`,
    );
  }
  if (variability.parameters.some((p) => p.name === 'ke0' && p.kind === 'assumed')) {
    assumptions.push(
      `ke0 varies (assumed CV) around ${resolved.ke0.toPrecision(4)} /min (${resolved.ke0Source}); it is not re-derived per virtual patient.`,
    );
  }
  for (const p of variability.parameters) if (p.kind === 'fixed') assumptions.push(`${p.name}: ${p.source}.`);

  const layout = populationLayout(req.n, grid.count);
  const job: PopulationJob = {
    n: req.n,
    seed: req.seed,
    cv,
    percentiles: req.percentiles ? [...new Set(req.percentiles)].sort((a, b) => a - b) : DEFAULT_PERCENTILES,
    metrics: req.metrics ?? true,
    grid,
    actions,
    bands,
    recoveryLevelNgMl: bands.find((b) => b.id === 'dissociation')?.lowNgMl ?? null,
    doseEndMin: lastDoseEnd(actions, horizon),
    totalDoseMg: totalDoseMg(actions, horizon),
    weightKg: plan.patient.weightKg,
    structure: resolved.structure.kind,
    recipe,
    parameters: variability.parameters,
    covariances: variability.covariances,
    cholesky: variability.cholesky,
    model: { id: def?.id ?? null, name: modelName, ke0Source: resolved.ke0Source },
    layout,
    assumptions,
    warnings: sink.list(),
  };
  return { ok: true, job };
}
