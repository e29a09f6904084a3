import type { Knex } from 'knex';
import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import { MissingTopicError, ModelNotRegisteredError } from '../errors/streamer-errors.js';
import { isModelClass, type ModelClass } from '../model/model.js';
import { modelTable } from '../model/model.js';
import type { StreamOptions } from '../stream/call-options.js';
import { type FullRefreshOptions, fullRefresh, type RefreshSummary } from '../stream/full-refresh.js';
import type { Dependent } from '../stream/handle-related.js';
import * as shortcuts from '../stream/shortcuts.js';
import { streamInTx } from '../stream/stream-in-tx.js';
import { applyOptions, validateStreamer } from '../streamer/configure.js';
import { compilePlan, type StreamPlan } from '../streamer/plan.js';
import { Streamer, type StreamerClass, type StreamerOptions } from '../streamer/streamer.js';

type ShortcutOptions = shortcuts.ShortcutOptions;
type Objects = object | readonly object[];
// biome-ignore lint/suspicious/noExplicitAny: options of a streamer of any object type
type AnyOptions = StreamerOptions<any>;

/**
 * A class decorator returned by `register()`. TypeScript 5 standard decorators call
 * it with a context, and registration runs once the class is fully defined, static
 * fields included. It can also be called by hand as `decorator(Class)`.
 */
// biome-ignore lint/suspicious/noExplicitAny: a decorator accepts any class
export type RegisterDecorator = (value: abstract new (...args: any[]) => any, context?: ClassDecoratorContext) => void;

interface Registration {
  readonly model: ModelClass;
  readonly streamer: Streamer<object> | undefined;
  plan: StreamPlan<object> | undefined;
}

function isStreamerClass(value: unknown): value is StreamerClass {
  return typeof value === 'function' && (value === Streamer || value.prototype instanceof Streamer);
}

/**
 * Streamers by model, and the streaming functions that use them. `createRegistry()`
 * gives an isolated one (for tests or one per tenant); the functions exported at the
 * top level of the package use a global one.
 */
export class Registry {
  readonly #entries = new Map<ModelClass, Registration>();

  /**
   * Registers a streamer for a model, as a call or as a class decorator:
   * - `register(Model, options)` or `register(Model, StreamerClass, options)` registers
   *   at once; `@register(Model, options)` on a Streamer subclass registers that class.
   * - `@register(options)` or `@register(StreamerClass, options)` on a model class.
   * Options given here override the streamer class's fields, in both forms. A call
   * without a topic and without a streamer class waits for the decorator; if none
   * follows, using the model throws MissingTopicError.
   */
  register(model: ModelClass, options?: AnyOptions): RegisterDecorator;
  register(model: ModelClass, streamerClass: StreamerClass, options?: AnyOptions): RegisterDecorator;
  register(options: AnyOptions): RegisterDecorator;
  register(streamerClass: StreamerClass, options?: AnyOptions): RegisterDecorator;
  register(first: unknown, second?: unknown, third?: unknown): RegisterDecorator {
    if (isModelClass(first) && !isStreamerClass(first)) return this.#registerModel(first, second, third);
    if (isStreamerClass(first)) return this.#decorateModel(first, (second ?? {}) as AnyOptions);
    if (typeof first === 'object' && first !== null) return this.#decorateModel(Streamer, first as AnyOptions);
    throw new ConfigurationError(
      `register() got ${typeof first === 'function' ? `class ${first.name} without a static tableName` : String(first)}: ` +
        'pass a model class (with static tableName), a Streamer subclass or streamer options',
    );
  }

  #registerModel(model: ModelClass, second: unknown, third: unknown): RegisterDecorator {
    const streamerClass = isStreamerClass(second) ? second : undefined;
    const options = ((streamerClass === undefined ? second : third) ?? {}) as AnyOptions;

    if (streamerClass !== undefined || options.topic !== undefined) {
      this.#add(model, streamerClass ?? Streamer, options);
    } else {
      this.#entries.set(model, { model, streamer: undefined, plan: undefined });
    }

    return (value, context) => {
      if (!isStreamerClass(value)) {
        throw new ConfigurationError(`@register(${model.name}) decorates a Streamer subclass, not ${value.name}`);
      }
      afterDefinition(context, () => this.#add(model, value, options));
    };
  }

  #decorateModel(streamerClass: StreamerClass, options: AnyOptions): RegisterDecorator {
    return (value, context) => {
      afterDefinition(context, () => {
        if (!isModelClass(value)) {
          throw new ConfigurationError(`@register(options) decorates a model class with a static tableName, not ${value.name}`);
        }
        this.#add(value, streamerClass, options);
      });
    };
  }

  #add(model: ModelClass, streamerClass: StreamerClass, options: AnyOptions): void {
    modelTable(model);
    const streamer = new streamerClass();
    applyOptions(streamer, options, model);
    validateStreamer(streamer, model);
    this.#entries.set(model, { model, streamer, plan: undefined });
  }

  /** Returns the streamer registered for a model. */
  getStreamer(model: ModelClass): Streamer<object> {
    const entry = this.#entries.get(model);
    if (entry === undefined) throw new ModelNotRegisteredError(model?.name ?? String(model));
    if (entry.streamer === undefined) throw new MissingTopicError(model.name);
    return entry.streamer;
  }

  /** Removes a model's registration; returns whether there was one. */
  unregister(model: ModelClass): boolean {
    return this.#entries.delete(model);
  }

  /** Returns every registered model, in registration order. */
  models(): ModelClass[] {
    return [...this.#entries.keys()];
  }

  /** Returns the resolved options of a model's streamer, compiled on first use. */
  planOf(model: ModelClass): StreamPlan<object> {
    const streamer = this.getStreamer(model);
    const entry = this.#entries.get(model) as Registration;
    entry.plan ??= compilePlan(model, streamer);
    return entry.plan;
  }

  /** Returns the registered streamers whose handleRelated names a relation to `model`. */
  dependentsOf(model: ModelClass): Dependent[] {
    const dependents: Dependent[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.streamer === undefined || entry.streamer.handleRelated.length === 0) continue;
      const plan = this.planOf(entry.model);
      for (const relation of plan.handled) if (relation.target === model) dependents.push({ plan, relation });
    }
    return dependents;
  }

  /** See the package's `streamInTx`. */
  streamInTx(trx: Knex.Transaction, objects: Objects, options?: StreamOptions): Promise<string[]> {
    return streamInTx(this, trx, objects, options);
  }

  streamCreate(trx: Knex.Transaction, objects: Objects, options?: ShortcutOptions): Promise<string[]> {
    return shortcuts.streamCreate(this, trx, objects, options);
  }

  streamUpdate(trx: Knex.Transaction, objects: Objects, options?: ShortcutOptions): Promise<string[]> {
    return shortcuts.streamUpdate(this, trx, objects, options);
  }

  streamDelete(trx: Knex.Transaction, objects: Objects, options?: ShortcutOptions): Promise<string[]> {
    return shortcuts.streamDelete(this, trx, objects, options);
  }

  streamRefresh(trx: Knex.Transaction, objects: Objects, options?: ShortcutOptions): Promise<string[]> {
    return shortcuts.streamRefresh(this, trx, objects, options);
  }

  streamDeleteIds(
    trx: Knex.Transaction,
    model: ModelClass,
    ids: readonly unknown[],
    options?: Omit<ShortcutOptions, 'model' | 'reload'>,
  ): Promise<string[]> {
    return shortcuts.streamDeleteIds(this, trx, model, ids, options);
  }

  fullRefresh(knex: Knex | Knex.Transaction, model?: ModelClass, options?: FullRefreshOptions): Promise<RefreshSummary[]> {
    return fullRefresh(this, knex, model, options);
  }
}

// Standard decorators run class decorators before static fields are assigned, so
// registration waits for the class initializers, which run after them.
function afterDefinition(context: ClassDecoratorContext | undefined, register: () => void): void {
  if (context?.addInitializer === undefined) {
    register();
    return;
  }
  context.addInitializer(register);
}

/** Creates an isolated registry; its methods work when detached (`const { register } = createRegistry()`). */
export function createRegistry(): Registry {
  const registry = new Registry();
  const prototype = Registry.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(Registry.prototype)) {
    const method = prototype[name];
    if (name !== 'constructor' && typeof method === 'function') {
      Object.defineProperty(registry, name, { value: method.bind(registry) });
    }
  }
  return registry;
}
