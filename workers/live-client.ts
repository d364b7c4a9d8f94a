/**
 * The main thread's handle on the live worker: the live API over the one worker bridge (workers/bridge.ts).
 * Each kind of request (readout, analysis, planner, personal band, session doses) is its own latest-wins
 * channel, so the view only ever receives the newest answer and a burst of ticks or keystrokes costs at
 * most two computations; a readout never supersedes an analysis. Types come from the API (`Remote<LiveApi>`).
 */
import type {
  LiveAnalyzeRequest,
  LiveAnalyzeResponse,
  LiveApi,
  LiveNowRequest,
  LiveNowResponse,
  PersonalBandResponse,
  PlannerRequest,
  PlannerResponse,
  SessionDoseItem,
  SessionDosesResponse,
} from './live-api.ts';
import type { PersonalBandInput } from '../engine/pd/personal-band.ts';
import { isAbortError, moduleWorker, WorkerBridge, type Connect, type Connection, type Remote } from './bridge.ts';

export { isAbortError };

/** The live API as awaited through comlink (derived from the implementation's type). */
export type LiveApiLike = Remote<LiveApi>;

export type LiveConnection = Connection<LiveApiLike>;

/** The app's live worker, wrapped by comlink. */
export const liveWorkerConnection: Connect<LiveApiLike> = moduleWorker<LiveApi>(
  () => new Worker(new URL('./live.worker.ts', import.meta.url), { type: 'module', name: 'ketasim-live' }),
  'live',
);

export interface LiveClientOptions {
  /** Opens a connection; default: a module Worker running workers/live.worker.ts, wrapped by comlink. */
  readonly connect?: Connect<LiveApiLike> | (() => LiveConnection);
  /** Terminate the worker after this long without work, ms (default 10 min; Infinity = never). */
  readonly idleMs?: number;
}

export class LiveClient {
  private readonly bridge: WorkerBridge<LiveApiLike>;

  constructor(options: LiveClientOptions = {}) {
    this.bridge = new WorkerBridge<LiveApiLike>({ connect: options.connect ?? liveWorkerConnection, idleMs: options.idleMs });
  }

  /** Requests actually sent to the worker. */
  get sent(): number {
    return this.bridge.sent;
  }

  /** Latest-wins readout at a session minute (once a second while a session runs). */
  now(req: LiveNowRequest): Promise<LiveNowResponse> {
    return this.bridge.run((api) => api.now(req) as Promise<LiveNowResponse>, { channel: 'now' });
  }

  /** Latest-wins live analysis. */
  analyze(req: LiveAnalyzeRequest): Promise<LiveAnalyzeResponse> {
    return this.bridge.run((api) => api.analyze(req) as Promise<LiveAnalyzeResponse>, { channel: 'analyze' });
  }

  /** Latest-wins titration plan. */
  plan(req: PlannerRequest): Promise<PlannerResponse> {
    return this.bridge.run((api) => api.plan(req) as Promise<PlannerResponse>, { channel: 'plan' });
  }

  /** Latest-wins personal band. */
  personalBand(input: PersonalBandInput): Promise<PersonalBandResponse> {
    return this.bridge.run((api) => api.personalBand(input) as Promise<PersonalBandResponse>, { channel: 'personal-band' });
  }

  /** Latest-wins dose and peak Ce of a course's sessions (the Course view's table). */
  sessionDoses(items: readonly SessionDoseItem[]): Promise<SessionDosesResponse> {
    return this.bridge.run((api) => api.sessionDoses(items) as Promise<SessionDosesResponse>, { channel: 'session-doses' });
  }

  /** Name of the scope the API runs in. */
  whereAmI(): Promise<string> {
    return this.bridge.run((api) => api.whereAmI());
  }

  /** Terminate the worker (waiting and running requests reject with an AbortError); the next call starts a new one. */
  shutdown(): void {
    this.bridge.shutdown('the live worker was shut down');
  }
}

let shared: LiveClient | null = null;
/** The app's one live client (a module singleton, so StrictMode's double effects never start two workers). */
export function liveClient(): LiveClient {
  shared ??= new LiveClient();
  return shared;
}
