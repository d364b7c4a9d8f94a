/**
 * The test page's script: bundled by esbuild (harness.ts) and served from 127.0.0.1, so the storage code
 * runs against the real IndexedDB of a real Chromium. Everything the tests call is on `window.ks`.
 */
import * as storage from '../../../ui/storage/index.ts';
import * as live from '../../../engine/live/index.ts';
import * as schedule from '../../../ui/course/schedule.ts';
import { parsePlan } from '../../../engine/plan.ts';
import { MODEL_IDS } from '../../../engine/models/registry.ts';

const api = { storage, live, schedule, engine: { parsePlan, MODEL_IDS } };
export type KsApi = typeof api;

declare global {
  interface Window {
    ks: KsApi;
  }
}

window.ks = api;
