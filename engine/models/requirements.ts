// Covariates a registry model needs beyond weight, by model id: read by parsePlan (an error naming the field) and the model records.

/** A covariate a model's parameters depend on, which a plan for that model must give. */
export interface CovariateRequirement {
  /** The patient field, as in a plan (`patient.ageYears`). */
  readonly field: 'ageYears' | 'sex' | 'heightCm';
  /** Why the model needs it, with the size of the effect and its source, for the error message. */
  readonly reason: string;
}

/**
 * Required covariates per registry model id (weight is required by every plan). A model not listed
 * needs none. Kept apart from the model files, without imports, so that validating a plan does not load
 * the models; each model's record carries the same list (`ModelDefinition.requires`, tested equal) and
 * its docblock says why. A covariate a model uses is either listed here (an error when missing) or a
 * labelled assumption shown as a warning — never a silent default.
 */
export const COVARIATE_REQUIREMENTS: Readonly<Record<string, readonly CovariateRequirement[]>> = {
  'perez-ruixo-2021-esketamine': [
    {
      field: 'ageYears',
      reason:
        'its hepato-portal blood flow Qh falls 2.19 L/h per year of age above 60, from 151 L/h (38% lower at 86 years, the oldest studied; Perez-Ruixo 2021); give the age in years',
    },
  ],
};
