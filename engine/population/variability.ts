// Log-normal `ParameterSpec`/`VariabilityModel`, `buildVariability`, `cholesky`, `DEFAULT_CV` 0.3, `MAX_CV`.
import { cvFromOmega2Det, omega2FromCvDet } from './detmath.ts';

/**
 * Inter-individual variability of one parameter of a virtual population. Parameters are log-normal
 * around their typical value: θᵢ = θ · e^ηᵢ with η ~ N(0, Ω), so the typical value is the median.
 */
export interface ParameterSpec {
  /** Name as in the model's parameters, or `ke0`. */
  readonly name: string;
  /** Unit of `typical` (L, L/min, 1/min, min, fraction). */
  readonly unit: string;
  /** Typical value for the plan's patient (the median of the population), in `unit`. */
  readonly typical: number;
  /** Variance of ln θ, ω² (0: held fixed). */
  readonly omega2: number;
  /** Coefficient of variation of the log-normal, √(e^ω² − 1) (fraction). */
  readonly cv: number;
  /** Where ω² comes from: a citation, or the assumption stated in words. */
  readonly source: string;
  /** `published`: ω² from the model's sources; `assumed`: the user's CV; `fixed`: not varied (see source). */
  readonly kind: 'published' | 'assumed' | 'fixed';
}

/** A covariance between two log-parameters, with its source. */
export interface ParameterCovariance {
  readonly a: string;
  readonly b: string;
  /** ω_ab, covariance of ln θa and ln θb. */
  readonly cov: number;
  /** ω_ab / (ω_a ω_b). */
  readonly correlation: number;
  readonly source: string;
}

/** The full variability model of a population: one entry per parameter, in sampling order. */
export interface VariabilityModel {
  readonly parameters: readonly ParameterSpec[];
  readonly covariances: readonly ParameterCovariance[];
  /** Lower-triangular Cholesky factor L of Ω (Ω = L Lᵀ), row-major P × P; η = L z with z ~ N(0, I). */
  readonly cholesky: readonly number[];
}

/** Default CV for parameters without published variability: 30%. */
export const DEFAULT_CV = 0.3;
/** Largest CV accepted (300%). */
export const MAX_CV = 3;

/** Unit of a parameter from the field's naming convention (DESIGN.md "Names"). */
export function parameterUnit(name: string): string {
  if (name === 'ke0') return '1/min';
  if (/^mtt/i.test(name)) return 'min';
  if (/^fm/i.test(name)) return 'fraction';
  if (/^v/i.test(name)) return 'L';
  if (/^(cl|q)/i.test(name)) return 'L/min';
  if (/^k/i.test(name)) return '1/min';
  return '';
}

/** The text that labels an assumed CV wherever it is shown. */
export function assumedSource(cv: number, what: string): string {
  const pct = Math.round(cv * 1000) / 10;
  return `ASSUMPTION: CV ${pct}% (ω² = ln(1 + CV²)), the user-set CV for parameters without published variability (default ${DEFAULT_CV * 100}%); ${what}`;
}

export interface VariabilityInput {
  /** Parameter names in sampling order, with their typical values. */
  readonly typical: readonly { readonly name: string; readonly value: number }[];
  /** Published ω² by parameter name, with sources. */
  readonly published: readonly { readonly parameter: string; readonly omega2: number; readonly source: string }[];
  /** Published covariances of log-parameters. */
  readonly covariances: readonly { readonly a: string; readonly b: string; readonly cov: number; readonly source: string }[];
  /** Parameters held fixed, with the reason. */
  readonly fixed: Readonly<Record<string, string>>;
  /** CV (fraction) for every other parameter. */
  readonly cv: number;
  /** Why a parameter has no published variability (completes the assumption label). */
  readonly assumedWhy: (name: string) => string;
}

/**
 * Build the variability model: published ω² (and covariances) where the model has them, the user's CV
 * (labelled as an assumption) for the rest, nothing for parameters held fixed. Assumed parameters are
 * independent of each other and of the published ones.
 */
export function buildVariability(input: VariabilityInput): VariabilityModel {
  const omega2Assumed = omega2FromCvDet(input.cv);
  const parameters: ParameterSpec[] = input.typical.map(({ name, value }) => {
    const unit = parameterUnit(name);
    const fixedReason = input.fixed[name];
    if (fixedReason !== undefined)
      return { name, unit, typical: value, omega2: 0, cv: 0, source: fixedReason, kind: 'fixed' as const };
    if (!(value > 0)) {
      return {
        name,
        unit,
        typical: value,
        omega2: 0,
        cv: 0,
        source: `not varied: typical value ${value} is not positive, so it cannot be log-normal`,
        kind: 'fixed' as const,
      };
    }
    const pub = input.published.find((p) => p.parameter === name);
    if (pub)
      return {
        name,
        unit,
        typical: value,
        omega2: pub.omega2,
        cv: cvFromOmega2Det(pub.omega2),
        source: pub.source,
        kind: 'published' as const,
      };
    return {
      name,
      unit,
      typical: value,
      omega2: omega2Assumed,
      cv: cvFromOmega2Det(omega2Assumed),
      source: assumedSource(input.cv, input.assumedWhy(name)),
      kind: 'assumed' as const,
    };
  });
  const p = parameters.length;
  const omega = new Array<number>(p * p).fill(0);
  parameters.forEach((s, i) => {
    omega[i * p + i] = s.omega2;
  });
  const covariances: ParameterCovariance[] = [];
  for (const c of input.covariances) {
    const i = parameters.findIndex((s) => s.name === c.a);
    const j = parameters.findIndex((s) => s.name === c.b);
    if (i < 0 || j < 0)
      throw new Error(`variability: covariance between ${c.a} and ${c.b} names a parameter the model does not have`);
    if (parameters[i].kind !== 'published' || parameters[j].kind !== 'published') {
      throw new Error(`variability: covariance between ${c.a} and ${c.b} needs published variances for both`);
    }
    omega[i * p + j] = c.cov;
    omega[j * p + i] = c.cov;
    covariances.push({
      a: c.a,
      b: c.b,
      cov: c.cov,
      correlation: c.cov / Math.sqrt(parameters[i].omega2 * parameters[j].omega2),
      source: c.source,
    });
  }
  return { parameters, covariances, cholesky: cholesky(omega, p) };
}

/**
 * Cholesky factor of a symmetric positive semi-definite matrix (row-major n × n), lower-triangular.
 * A zero pivot (a parameter held fixed) gives a zero column, allowed only when that row has no
 * covariance; anything else that is not positive semi-definite throws. Uses +, −, ×, ÷ and Math.sqrt
 * only, so it is deterministic.
 */
export function cholesky(a: readonly number[], n: number): number[] {
  const l = new Array<number>(n * n).fill(0);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    const scale = Math.max(a[j * n + j], 0);
    if (d <= 1e-14 * scale || d <= 0) {
      for (let i = j + 1; i < n; i++) {
        let s = a[i * n + j];
        for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
        if (Math.abs(s) > 1e-12 * Math.sqrt(Math.max(a[i * n + i], 0) * scale + 1e-300)) {
          throw new Error('variability: the covariance matrix is not positive semi-definite');
        }
      }
      if (d < -1e-12 * Math.max(scale, 1e-300))
        throw new Error('variability: the covariance matrix is not positive semi-definite');
      continue; // zero column
    }
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}
