// The tool's version (package.json `version`), for `ketasim --version` and every output's `meta`.
import pkg from '../package.json' with { type: 'json' };

/** The package version, e.g. "0.1.0" (bundled into build/ketasim.cjs at build time). */
export const VERSION: string = pkg.version;
