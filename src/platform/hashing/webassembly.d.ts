/**
 * The part of the WebAssembly JavaScript API that sha256-lanes.ts uses. Node has the whole API as
 * a global, but its declarations live in TypeScript's DOM library, which this project does not
 * compile against (it would declare browser globals that do not exist in Node).
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
  function validate(bytes: Uint8Array): boolean;
}
