#!/usr/bin/env node
// The `ketasim` command. Runs the TypeScript sources directly through tsx, so `npx ketasim` works right
// after `npm ci` with no build step.
import { register } from 'tsx/esm/api';
register();
await import('../cli/ketasim.ts');
