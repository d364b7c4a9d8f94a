// Browser population worker entry: exposes the population API, mathjs loaded only when a general linear model first needs it.
import * as Comlink from 'comlink';
import { populationWorkerApi, type PopulationWorkerApi } from './population-api.ts';
import { deferMatrixExponential, loadMatrixExponential, withMatrixExponential } from './expm.ts';

// The general linear path's matrix exponential (mathjs expm) is imported on first need (workers/expm.ts).
deferMatrixExponential();

/**
 * The population worker (browser): exposes the population API and nothing else (DESIGN.md rule 7).
 * `prepare` is a plain request, rerun once mathjs is loaded if it needed it; a range (`start`, then
 * `step`s) and a shared-memory run are stateful, so mathjs is loaded before they begin when the job's
 * structure is a general linear system. `self` is passed explicitly (stack-notes pitfall 8).
 */
const api: PopulationWorkerApi = {
  ...populationWorkerApi,
  prepare: (plan, request) => withMatrixExponential(() => populationWorkerApi.prepare(plan, request)),
  async start(job, task) {
    if (job.structure === 'linear') await loadMatrixExponential();
    return populationWorkerApi.start(job, task);
  },
  async runShared(job, spec) {
    if (job.structure === 'linear') await loadMatrixExponential();
    return populationWorkerApi.runShared(job, spec);
  },
};
Comlink.expose(api, self as unknown as Comlink.Endpoint);
