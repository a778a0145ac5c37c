import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type * as TypeScript from 'typescript';
import { loadScenarioFile, ScenarioInvalid, scenarioFromDocument } from './load-scenario.js';
import * as publicApi from './public.js';
import type { ScenarioPlan } from './scenario.js';

/** The entry a script imports its types and `defineScenario` from. */
export const PUBLIC_ENTRY = 'yuanbridge/scenarios';

const SCRIPT = /\.(ts|mts|cts)$/;

/** A YAML/JSON file or a TypeScript script, by its extension. */
export function loadScenario(file: string, seed?: number): ScenarioPlan {
  return SCRIPT.test(file) ? loadScenarioScript(file, seed) : loadScenarioFile(file);
}

/**
 * A TypeScript scenario script: transpiled (types erased, no type check: the editor and
 * `tsc --noEmit` do that) with the `typescript` package, run in this process as a CommonJS module,
 * and its default export — a scenario, or a function of the seed returning one — validated
 * against the same JSON Schema and normalised exactly as a YAML file is. `yuanbridge/scenarios`
 * resolves to this installation's entry wherever the script lives; a relative import of another
 * .ts file is transpiled the same way; anything else is required as usual from the script's
 * folder.
 */
export function loadScenarioScript(file: string, seed?: number): ScenarioPlan {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioInvalid(file, [
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`,
    ]);
  }
  const ts = typescript(file);
  let exported: Record<string, unknown>;
  try {
    exported = runModule(ts, path.resolve(file), source, new Map());
  } catch (error) {
    if (error instanceof ScenarioInvalid) throw error;
    throw new ScenarioInvalid(file, [`the script threw: ${(error as Error)?.message ?? String(error)}`]);
  }
  let scenario = 'default' in exported ? exported.default : undefined;
  if (typeof scenario === 'function') {
    try {
      scenario = seed === undefined ? scenario() : scenario(seed);
    } catch (error) {
      throw new ScenarioInvalid(file, [
        `its default export threw: ${(error as Error)?.message ?? String(error)}`,
      ]);
    }
  }
  if (scenario === null || typeof scenario !== 'object' || Array.isArray(scenario)) {
    throw new ScenarioInvalid(file, [
      'the default export must be a scenario object, or a function of the seed returning one (export default defineScenario({ ... }))',
    ]);
  }
  // What a YAML file could say: plain JSON data (undefined fields dropped, as if not written).
  let document: unknown;
  try {
    document = JSON.parse(JSON.stringify(scenario));
  } catch (error) {
    throw new ScenarioInvalid(file, [
      `the scenario is not plain data (${(error as Error).message}); write money as decimal strings`,
    ]);
  }
  return scenarioFromDocument(document, file, createHash('sha256').update(source).digest('hex'));
}

function typescript(file: string): typeof TypeScript {
  try {
    return createRequire(__filename)('typescript') as typeof TypeScript;
  } catch {
    throw new ScenarioInvalid(file, [
      "a TypeScript scenario needs the 'typescript' package to transpile it (npm install typescript), or write the scenario as YAML",
    ]);
  }
}

/** Transpiles and runs one module; `loading` holds the .ts modules of this script by path. */
function runModule(
  ts: typeof TypeScript,
  file: string,
  source: string,
  loading: Map<string, { exports: Record<string, unknown> }>,
): Record<string, unknown> {
  const output = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      inlineSourceMap: true,
    },
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new ScenarioInvalid(
      file,
      errors.map((d) => {
        const where =
          d.file !== undefined && d.start !== undefined
            ? (({ line, character }) => `${line + 1}:${character + 1}: `)(
                d.file.getLineAndCharacterOfPosition(d.start),
              )
            : '';
        return `${where}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      }),
    );
  }
  const loaded = { exports: {} as Record<string, unknown> };
  loading.set(file, loaded);
  const fallback = createRequire(file);
  const requireFromScript = (specifier: string): unknown => {
    if (specifier === PUBLIC_ENTRY) return publicApi;
    if (specifier.startsWith('.')) {
      const script = scriptPath(path.resolve(path.dirname(file), specifier));
      if (script !== null) {
        const known = loading.get(script);
        if (known !== undefined) return known.exports;
        return runModule(ts, script, fs.readFileSync(script, 'utf8'), loading);
      }
    }
    return fallback(specifier);
  };
  const wrapper = vm.runInThisContext(Module.wrap(output.outputText), { filename: file }) as (
    ...args: unknown[]
  ) => void;
  wrapper.call(loaded.exports, loaded.exports, requireFromScript, loaded, file, path.dirname(file));
  return loaded.exports;
}

/** The .ts file a relative import names (`./x`, `./x.js` or `./x.ts`), or null. */
function scriptPath(target: string): string | null {
  const candidates = SCRIPT.test(target)
    ? [target]
    : [target.replace(/\.(js|mjs|cjs)$/, (ext) => ext.replace('js', 'ts')), `${target}.ts`];
  for (const candidate of candidates)
    if (SCRIPT.test(candidate) && fs.existsSync(candidate)) return candidate;
  return null;
}
