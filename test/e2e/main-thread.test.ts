/**
 * No engine on the main thread, checked on the BUILT app: every chunk the page can load (from dist/index.html,
 * following static imports, dynamic imports and modulepreload links, but not worker entries) is looked up
 * in the chunk-module manifest that vite.config.ts writes (Rollup's chunk.modules per output chunk), and
 * must carry no mathjs or ml-matrix and no engine/ module beyond the allowlist below; the same chunks must
 * not contain the engine's distinctive strings either (a second check that does not depend on the manifest).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

/** Source modules of one output chunk, as vite.config.ts's chunkModules plugin records them. */
interface ChunkInfo {
  readonly isEntry: boolean;
  readonly imports: readonly string[];
  readonly dynamicImports: readonly string[];
  readonly modules: Readonly<Record<string, { readonly renderedLength: number; readonly renderedExports: readonly string[] }>>;
}
interface Manifest {
  readonly chunks: Readonly<Record<string, ChunkInfo>>;
}

/**
 * engine/ modules the main thread may carry, each with the exports it may use and why. Anything else under
 * engine/ (plan validation, model resolution, stepping, kernels, log rules) belongs in a worker.
 */
const MAIN_THREAD_ALLOWLIST: Readonly<Record<string, { readonly exports: readonly string[]; readonly why: string }>> = {
  'engine/units.ts': {
    exports: ['DOSE_UNITS', 'RATE_UNITS', 'DEFAULT_RATE_UNIT', 'isDoseUnit', 'isRateUnit', 'doseToMg', 'rateToMgPerMin'],
    why: 'unit tables and the unit conversions of the regimen editor (data and one multiplication each)',
  },
  'engine/pd/racemic-bands.ts': {
    exports: ['DEFAULT_BANDS', 'ANTIDEPRESSANT_MARKER'],
    why: 'the cited racemic default bands and the antidepressant marker (data records with citations)',
  },
  'engine/pd/s-ketamine-bands.ts': {
    exports: [
      'OLOFSEN_2022_C50',
      'OLOFSEN_2022_KE0',
      'KIENBAUM_2001_ANAESTHESIA',
      'SCHUTTLER_1987_S_IC50',
      'LANGSJO_2005_SUBANAESTHETIC',
      'LANGSJO_2005_ANAESTHETIC',
      'S_KETAMINE_REFERENCES',
      'S_KETAMINE_BANDS',
      'S_KETAMINE_UNAVAILABLE',
      'NAMED_KE0_MODELS',
      'ke0FromHalfTime',
    ],
    why: 'S-ketamine’s cited reference levels, bands and named ke0 records (data, read by the presets); ke0FromHalfTime is ln 2 / t½, evaluated once when the records are built',
  },
  'engine/pd/presets.ts': { exports: ['PRESETS', 'findPreset'], why: 'the cited regimen presets (data)' },
  'engine/grid.ts': {
    exports: ['gridPointCount'],
    why: 'the number of points of a plan’s grid (one expression), for the population preview’s step (ui/components/PopulationPanel.tsx)',
  },
  'engine/tci/pump-defaults.ts': {
    exports: ['DEFAULT_PUMP'],
    why: 'the titration planner’s default pump settings (data), the planner form’s starting values',
  },
  'engine/patient.ts': { exports: ['PATIENT_RANGES'], why: 'the accepted covariate ranges (data) for inline form hints' },
  'engine/pk/mammillary.ts': {
    exports: ['microFromClearances'],
    why: 'kept: the exact conversion between the two custom-model parameter forms inside the synchronous state action that switches form (ui/state/actions.ts; a few divisions, no stepping): a worker round trip would make the switch asynchronous and let typing interleave with it, for no gain',
  },
  'engine/describe.ts': {
    exports: ['show'],
    why: 'how an input value is named in a message (one expression), shared by the course records’ field checks (ui/storage/records.ts)',
  },
  'engine/live/log.ts': { exports: ['MAX_REASON_LENGTH'], why: 'a text length limit (data) for the correction form' },
  'engine/decimate.ts': {
    exports: ['minMaxIndices', 'gather', 'lowerBound'],
    why: 'kept: min/max per pixel bucket of the population overlay on zoom or resize (ui/components/population-series.ts; one linear pass, no simulation): the percentile series are already on the main thread to be drawn, so a worker would copy them there and back on every zoom',
  },
  'engine/population/layout.ts': {
    exports: ['columnOutputs', 'probabilityThresholds', 'binCount', 'splitRanges'],
    why: 'the population pool’s orchestration (workers/population-pool.ts) splits the grid between workers and sizes the shared buffers (the merge itself, engine/population/merge.ts and select.ts, runs in a worker: `assemble`)',
  },
  'engine/population/metrics-stream.ts': {
    exports: ['metricNames', 'BASE_METRICS', 'BAND_METRICS'],
    why: 'names of the population metrics (data)',
  },
};

/** Dependencies that are engine code whatever chunk they land in. */
const ENGINE_PACKAGES = [/(^|\/)node_modules\/mathjs\//, /(^|\/)node_modules\/ml-matrix\//];

/** Strings that exist only in engine code and survive minification, with where they come from. */
const ENGINE_FINGERPRINTS = [
  'mixes clearances', // engine/plan.ts parsePlan (custom model check)
  'an event needs one of bolus, rate or dose', // engine/plan.ts parsePlan (regimen check)
  'given more than once in the same object', // engine/plan.ts parsePlanText (duplicate keys)
  'no ke0 reproduces the reference time to peak', // engine/predict.ts (derived-ke0 root search)
];
/** A string of mathjs's: in no page chunk, and not in the simulation worker's own chunk either (it imports mathjs on demand). */
const MATHJS_FINGERPRINT = 'Dimension mismatch';

/** Chunk files named by one built JS file: static imports, side-effect imports, dynamic imports, vite's preload lists. */
function referencedChunks(code: string): string[] {
  const out = new Set<string>();
  const add = (spec: string) => out.add(spec.replace(/^\.\//, ''));
  for (const m of code.matchAll(/\bfrom\s*["'`](\.\/[\w.-]+\.js)["'`]/g)) add(m[1]);
  for (const m of code.matchAll(/\bimport\s*["'`](\.\/[\w.-]+\.js)["'`]/g)) add(m[1]);
  for (const m of code.matchAll(/\bimport\(\s*["'`](\.\/[\w.-]+\.js)["'`]\s*\)/g)) add(m[1]);
  for (const m of code.matchAll(/__vite__mapDeps\s*=[^;]*?\[([^\]]*)\]/g))
    for (const s of m[1].matchAll(/["'`](\.\/[\w.-]+\.js)["'`]/g)) add(s[1]);
  return [...out];
}

/** Scripts and module preloads of index.html (file names under assets/). */
function htmlEntries(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="\.\/assets\/([\w.-]+\.js)"/g)) out.push(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\.\/assets\/([\w.-]+\.js)"/g)) out.push(m[1]);
  return out;
}

/** Every chunk (file name under assets/) the page can load, crawled from the built files. */
function crawl(entries: readonly string[], read: (file: string) => string): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    queue.push(...referencedChunks(read(f)));
  }
  return [...seen].sort();
}

/** Why each reachable chunk breaks the rule (empty when none does). */
function violations(manifest: Manifest, reachable: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of reachable) {
    const chunk = manifest.chunks[`assets/${file}`];
    if (!chunk) {
      out.push(`${file}: not in the chunk-module manifest`);
      continue;
    }
    for (const [id, m] of Object.entries(chunk.modules)) {
      if (ENGINE_PACKAGES.some((re) => re.test(id))) {
        out.push(`${file}: ${id}`);
        continue;
      }
      if (!id.startsWith('engine/') || m.renderedLength === 0) continue;
      const allowed = MAIN_THREAD_ALLOWLIST[id];
      if (!allowed) {
        out.push(`${file}: ${id} (${m.renderedExports.join(', ') || 'module code'})`);
        continue;
      }
      const extra = m.renderedExports.filter((e) => !allowed.exports.includes(e));
      if (extra.length) out.push(`${file}: ${id} exports ${extra.join(', ')} beyond the allowlist`);
    }
  }
  return out;
}

describe('the checker (self-test on synthetic input)', () => {
  const mod = (renderedExports: string[], renderedLength = 100) => ({ renderedLength, renderedExports });
  const manifest: Manifest = {
    chunks: {
      'assets/index-a.js': {
        isEntry: true,
        imports: [],
        dynamicImports: ['assets/tab-b.js'],
        modules: {
          'ui/main.tsx': mod([]),
          'engine/pd/racemic-bands.ts': mod(['DEFAULT_BANDS']),
          'engine/simulate.ts': mod([], 0),
        },
      },
      'assets/tab-b.js': {
        isEntry: false,
        imports: [],
        dynamicImports: [],
        modules: {
          'engine/plan.ts': mod(['parsePlan']),
          'node_modules/mathjs/lib/esm/function/matrix/expm.js': mod(['createExpm']),
          'engine/units.ts': mod(['doseToMg', 'secretStepper']),
        },
      },
    },
  };

  it('follows static, dynamic and preload references but not worker URLs', () => {
    const files: Record<string, string> = {
      'index-a.js':
        'import{a}from"./shared-c.js";const l=()=>import(`./tab-b.js`);new Worker(new URL(`sim.worker-x.js`,import.meta.url))',
      'tab-b.js': 'import"./side-d.js";const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./lazy-e.js"])))=>i;',
      'shared-c.js': '',
      'side-d.js': '',
      'lazy-e.js': '',
    };
    expect(crawl(['index-a.js'], (f) => files[f])).toEqual(['index-a.js', 'lazy-e.js', 'shared-c.js', 'side-d.js', 'tab-b.js']);
    expect(
      htmlEntries(
        '<script type="module" crossorigin src="./assets/index-a.js"></script><link rel="modulepreload" href="./assets/x.js">',
      ),
    ).toEqual(['index-a.js', 'x.js']);
  });

  it('passes allowlisted data and empty modules, and names every violation', () => {
    expect(violations(manifest, ['index-a.js'])).toEqual([]);
    expect(violations(manifest, ['index-a.js', 'tab-b.js'])).toEqual([
      'tab-b.js: engine/plan.ts (parsePlan)',
      'tab-b.js: node_modules/mathjs/lib/esm/function/matrix/expm.js',
      'tab-b.js: engine/units.ts exports secretStepper beyond the allowlist',
    ]);
    expect(violations(manifest, ['gone.js'])).toEqual(['gone.js: not in the chunk-module manifest']);
  });

  it('every allowlisted module has a reason', () => {
    for (const [id, a] of Object.entries(MAIN_THREAD_ALLOWLIST)) expect(a.why.length, id).toBeGreaterThan(20);
  });
});

describe('the built app keeps the engine off the main thread', () => {
  const dist = inject('distDir');
  const assets = join(dist, 'assets');
  const read = (f: string) => readFileSync(join(assets, f), 'utf8');
  const manifestPath = join(dist, '.vite', 'chunk-modules.json');

  it('writes the chunk-module manifest, and the crawl reaches what the manifest says the page can load', () => {
    expect(existsSync(manifestPath), `${manifestPath} (vite.config.ts chunkModules plugin)`).toBe(true);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const entries = htmlEntries(readFileSync(join(dist, 'index.html'), 'utf8'));
    expect(entries.length).toBeGreaterThan(0);
    const reachable = crawl(entries, read);
    // the manifest's own graph from the same entries: the crawler must miss nothing
    const viaManifest = new Set<string>();
    const queue = entries.map((f) => `assets/${f}`);
    while (queue.length) {
      const f = queue.shift()!;
      if (viaManifest.has(f) || !manifest.chunks[f]) continue;
      viaManifest.add(f);
      queue.push(...manifest.chunks[f].imports, ...manifest.chunks[f].dynamicImports);
    }
    expect(reachable).toEqual([...viaManifest].map((f) => f.replace(/^assets\//, '')).sort());
    // the Live and Course tabs are among them (lazy chunks are checked too)
    const reachableModules = reachable.flatMap((f) => Object.keys(manifest.chunks[`assets/${f}`].modules));
    expect(reachableModules).toContain('ui/live/LiveView.tsx');
    expect(reachableModules).toContain('ui/course-view/CourseView.tsx');
  });

  it('no reachable chunk carries mathjs, ml-matrix or an engine module beyond the allowlist', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const reachable = crawl(htmlEntries(readFileSync(join(dist, 'index.html'), 'utf8')), read);
    expect(violations(manifest, reachable)).toEqual([]);
  });

  it('no reachable chunk contains an engine fingerprint, and the simulation worker does (the strings are real)', () => {
    const reachable = crawl(htmlEntries(readFileSync(join(dist, 'index.html'), 'utf8')), read);
    for (const f of reachable) {
      const code = read(f);
      for (const s of [...ENGINE_FINGERPRINTS, MATHJS_FINGERPRINT])
        expect(code.includes(s), `${f} must not contain "${s}"`).toBe(false);
    }
    const workers = readdirSync(assets).filter((f) => /^simulation\.worker-[\w-]+\.js$/.test(f));
    expect(workers).toHaveLength(1);
    const worker = read(workers[0]);
    for (const s of ENGINE_FINGERPRINTS) expect(worker, `the simulation worker should contain "${s}"`).toContain(s);
    // mathjs (general linear models only) is a chunk of its own that the worker imports on first need
    // (workers/expm.ts), so it is neither fetched nor evaluated before the first prediction.
    expect(worker.includes(MATHJS_FINGERPRINT), 'the simulation worker chunk must not carry mathjs').toBe(false);
    const onDemand = referencedChunks(worker).filter((f) => existsSync(join(assets, f)) && read(f).includes(MATHJS_FINGERPRINT));
    expect(onDemand, 'a chunk the simulation worker imports carries mathjs').toHaveLength(1);
  });
});
