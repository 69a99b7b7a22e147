import type * as PluginModule from 'eslint-plugin-otel-async' with { 'resolution-mode': 'import' };

/**
 * The bundled ESLint plugin. It is ESM with a top-level await (it loads the WASM grammar) and this
 * server is CommonJS, so it is loaded with a dynamic import; the esbuild bundle maps the specifier to
 * the plugin bundle shipped beside the server.
 */
export type OtelPlugin = (typeof PluginModule)['default'];

let loading: Promise<OtelPlugin> | undefined;

export function loadPlugin(): Promise<OtelPlugin> {
  loading ??= import('eslint-plugin-otel-async').then(
    (module) => module.default,
    (error: unknown) => {
      throw new Error(`the bundled ESLint plugin could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    },
  );
  return loading;
}
