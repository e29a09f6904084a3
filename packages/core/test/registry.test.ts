import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import { createRegistry, getRegistry, register, Streamer } from '../src/index.js';
import { MyModel, Other } from './support/models.js';

// Vite's transformer does not lower TypeScript 5 standard decorators, so the
// decorated classes are compiled here with the TypeScript compiler itself.
function runDecorated(source: string, scope: Record<string, unknown>): Record<string, unknown> {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators: false },
  });
  const names = Object.keys(scope);
  return new Function(...names, outputText)(...names.map((name) => scope[name]));
}

describe('register as a decorator', () => {
  it('registers a streamer class with its options', () => {
    const registry = createRegistry();

    const { MyModelStreamer } = runDecorated(
      `
      @register(MyModel, { exclude: ['field2'] })
      class MyModelStreamer extends Streamer {
        topic = 'from-class';
        include = ['x'];
        loadX() { return 1; }
      }
      return { MyModelStreamer };
      `,
      { register: registry.register, Streamer, MyModel },
    );

    const streamer = registry.getStreamer(MyModel);
    expect(streamer).toBeInstanceOf(MyModelStreamer as typeof Streamer);
    expect(streamer.topic).toBe('from-class');
    expect(streamer.exclude).toEqual(['field2']);
    expect(streamer.include).toEqual(['x']);
  });

  it('lets decorator options override class fields', () => {
    const registry = createRegistry();

    runDecorated(
      `
      @register(MyModel, { topic: 'from-options', batchSize: 7 })
      class MyModelStreamer extends Streamer {
        topic = 'from-class';
      }
      `,
      { register: registry.register, Streamer, MyModel },
    );

    expect(registry.getStreamer(MyModel).topic).toBe('from-options');
    expect(registry.getStreamer(MyModel).batchSize).toBe(7);
  });

  it('registers a decorated model after its static fields', () => {
    const registry = createRegistry();
    class OrderStreamer extends Streamer {
      override topic = 'orders';
    }

    const { Order, Line } = runDecorated(
      `
      @register({ topic: 'plain', idField: 'code' })
      class Order {
        static tableName = 'orders';
        id?: unknown;
      }
      @register(OrderStreamer, { batchSize: 3 })
      class Line {
        static tableName = 'lines';
        id?: unknown;
      }
      return { Order, Line };
      `,
      { register: registry.register, OrderStreamer },
    );

    expect(registry.getStreamer(Order as never).topic).toBe('plain');
    expect(registry.getStreamer(Order as never).idField).toBe('code');
    expect(registry.getStreamer(Line as never)).toBeInstanceOf(OrderStreamer);
    expect(registry.getStreamer(Line as never).batchSize).toBe(3);
  });

  it('rejects a decorated streamer without a topic', () => {
    const registry = createRegistry();

    expect(() =>
      runDecorated(
        `
        @register(MyModel)
        class MyModelStreamer extends Streamer {}
        `,
        { register: registry.register, Streamer, MyModel },
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_KS_MISSING_TOPIC' }));
  });
});

describe('registries', () => {
  it('keep registrations apart', () => {
    const first = createRegistry();
    const second = createRegistry();

    first.register(MyModel, { topic: 'first' });

    expect(first.getStreamer(MyModel).topic).toBe('first');
    expect(() => second.getStreamer(MyModel)).toThrow(expect.objectContaining({ code: 'ERR_KS_MODEL_NOT_REGISTERED' }));
    expect(() => getRegistry().getStreamer(MyModel)).toThrow(expect.objectContaining({ code: 'ERR_KS_MODEL_NOT_REGISTERED' }));
  });

  it('work with detached methods', () => {
    const { register: add, getStreamer, models } = createRegistry();

    add(Other, { topic: 'others' });

    expect(getStreamer(Other).topic).toBe('others');
    expect(models()).toEqual([Other]);
  });

  it('share the global registry with the top-level functions', () => {
    class GlobalModel {
      static tableName = 'global_models';
      id?: unknown;
    }

    register(GlobalModel, { topic: 'global' });

    expect(core.getStreamer(GlobalModel).topic).toBe('global');
    expect(getRegistry().models()).toContain(GlobalModel);
    getRegistry().unregister(GlobalModel);
  });

  it('reject a non-model argument', () => {
    class NoTable {}

    expect(() => createRegistry().register(NoTable as never)).toThrow(/without a static tableName/);
  });
});
