import { AsyncLocalStorage } from 'node:async_hooks';
import type { ModelClass } from '../model/model.js';
import type { SquashBuffer } from './squash-buffer.js';

/** Values added to every message streamed inside `withContext`. */
export interface StreamContext {
  /** Written as `_source`; left out when falsy. Python: `set_context(source=...)`. */
  readonly source?: string | null;
  /** Written as `_user_id`; left out when falsy. Python: `set_context(user=...)`. */
  readonly userId?: string | number | bigint | null;
  /** Each entry is written as `_<key>`, after `_user_id`. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The state visible to streaming calls in the current async context. */
export interface ContextState {
  readonly source: string | null | undefined;
  readonly userId: string | number | bigint | null | undefined;
  readonly extra: Readonly<Record<string, unknown>>;
  /** true: every handleRelated re-stream is suspended; a set: only those involving these models. */
  readonly suspended: true | ReadonlySet<ModelClass>;
  readonly squash: SquashBuffer | undefined;
}

const EMPTY: ContextState = { source: undefined, userId: undefined, extra: {}, suspended: new Set(), squash: undefined };

const storage = new AsyncLocalStorage<ContextState>();

/** Returns the state of the current async context. */
export function currentContext(): ContextState {
  return storage.getStore() ?? EMPTY;
}

/** Runs `fn` with `state` as the context of everything it calls, awaited or not. */
export function runInContext<R>(state: ContextState, fn: () => R): R {
  return storage.run(state, fn);
}

/**
 * Runs `fn` with context values added to every message it streams. Calls nest: the
 * inner values are merged over the outer ones (an `undefined` value keeps the outer
 * one). The outer context is back in place when `fn` returns or throws, and
 * concurrent calls each see their own values.
 */
export function withContext<R>(values: StreamContext, fn: () => R): R {
  const outer = currentContext();
  const inner: ContextState = {
    ...outer,
    source: values.source !== undefined ? values.source : outer.source,
    userId: values.userId !== undefined ? values.userId : outer.userId,
    extra: { ...outer.extra, ...definedEntries(values.extra ?? {}) },
  };
  return storage.run(inner, fn);
}

/**
 * Runs `fn` with handleRelated re-streaming suspended: for every model when `models`
 * is omitted, otherwise for re-streams that involve one of `models`, either as the
 * changed related model or as the model that would be re-streamed.
 * Python: `stop_handlers(*models)`.
 */
export function withoutHandleRelated<R>(models: readonly ModelClass[] | undefined, fn: () => R): R {
  const outer = currentContext();
  let suspended: true | ReadonlySet<ModelClass> = true;
  if (models !== undefined && outer.suspended !== true) suspended = new Set([...outer.suspended, ...models]);
  return storage.run({ ...outer, suspended }, fn);
}

/** Returns whether a handleRelated re-stream from a change of `changed` into `dependent` is suspended. */
export function isHandleRelatedSuspended(changed: ModelClass, dependent: ModelClass): boolean {
  const { suspended } = currentContext();
  return suspended === true || suspended.has(changed) || suspended.has(dependent);
}

function definedEntries(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
