/**
 * The storage worker: runs the course database (IndexedDB through dexie), its validation and the live-log
 * rules off the main thread, and exposes ui/storage/storage-api.ts and nothing else (DESIGN.md rule 7).
 * `self` is passed explicitly (stack-notes pitfall 8).
 */
import * as Comlink from 'comlink';
import { storageApi } from './storage-api.ts';

Comlink.expose(storageApi, self as unknown as Comlink.Endpoint);
