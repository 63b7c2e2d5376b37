import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngine = bindings.SchemaEngine;
export type MigrationList = bindings.MigrationList;

/** No external tables or enums: Prisma owns the whole schema. */
export const noSchemaFilter: bindings.SchemaFilter = { externalTables: [], externalEnums: [] };

let wasmLoaded: Promise<void> | undefined;

// The engine arms ~10 s timers it never clears, which keep Node alive after a migration. They are
// tracked here and cleared once no engine is running any more.
const engineTimers = new Set<ReturnType<typeof setTimeout>>();
let runningEngines = 0;

function importsWithTrackedTimers(): WebAssembly.ModuleImports {
  const imports: Record<string, unknown> = { ...bindings };
  for (const name of Object.keys(bindings).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, delayMs: number) => {
      const timer = setTimeout(() => {
        engineTimers.delete(timer);
        callback();
      }, delayMs >>> 0);
      engineTimers.add(timer);
      return timer;
    };
  }
  return imports as WebAssembly.ModuleImports;
}

/**
 * The package entry imports the .wasm as an ES module, which Node 20 refuses without a flag:
 * instantiate it by hand, once per process.
 */
function loadWasm(): Promise<void> {
  wasmLoaded ??= (async () => {
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasm = await readFile(path.join(path.dirname(glue), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(wasm, {
      './schema_engine_bg.js': importsWithTrackedTimers(),
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmLoaded;
}

/**
 * Runs `work` with a schema engine bound to the database behind `factory`, then frees the engine.
 * `schema` is only needed by commands that read the Prisma schema (diff).
 */
export async function withSchemaEngine<T>(
  schema: { path: string; content: string } | undefined,
  factory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  runningEngines += 1;
  try {
    const engine = await bindings.SchemaEngine.new(
      { datamodels: schema && [[schema.path, schema.content]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    runningEngines -= 1;
    if (runningEngines === 0) {
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
    }
  }
}
