// Bundles the extension for packaging: dist/extension.js (the client), dist/server.mjs (the language
// server with ESLint and the plugin) and the two tree-sitter WASM files the plugin looks for beside
// itself. Run after `npm run build` (the plugin is bundled from rules/dist).
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const require = createRequire(join(root, 'package.json'));
const production = !process.argv.includes('--dev');

/**
 * The plugin reads package.json files at run time through `createRequire(import.meta.url)(...)`; in a
 * bundle those paths no longer exist, so each such read is replaced by the fields it uses.
 */
const inlinePackageJson = {
  name: 'inline-package-json',
  setup(context) {
    context.onLoad({ filter: /[\\/]rules[\\/]dist[\\/].*\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const pattern = /(?:createRequire\(import\.meta\.url\)|\brequire)\((['"])((?:\.{1,2}\/|@?[\w.-]+\/)[^'"]*package\.json)\1\)/g;
      const contents = source.replace(pattern, (_match, _quote, specifier) => {
        const file = specifier.startsWith('.') ? resolve(dirname(path), specifier) : createRequire(path).resolve(specifier);
        const { name, version } = require(file);
        return `(${JSON.stringify({ name, version })})`;
      });
      return { contents, loader: 'js' };
    });
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', minify: production, sourcemap: !production, logLevel: 'warning', legalComments: 'none' };

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

// One ESM bundle for the server, ESLint and the plugin: the plugin is ESM with a top-level await, and
// it shares ESLint with the server instead of carrying a second copy.
const serverBuild = await build({
  ...common,
  entryPoints: [join(root, 'server', 'src', 'server.ts')],
  outfile: join(out, 'server.mjs'),
  format: 'esm',
  metafile: true,
  plugins: [inlinePackageJson],
  // Loaded lazily: the TypeScript parser for TS files (the editor's server lints Python only) and the
  // loader ESLint uses for eslint.config.ts files (such configs get ESLint's own error message).
  external: ['@typescript-eslint/parser', 'typescript', 'jiti', 'jiti/package.json'],
  // Bundled CommonJS code calls require() and reads __dirname, which ESM does not define.
  banner: {
    js: [
      "import { createRequire as __otelCreateRequire } from 'node:module';",
      "import { fileURLToPath as __otelFileURLToPath } from 'node:url';",
      "import { dirname as __otelDirname } from 'node:path';",
      'const require = __otelCreateRequire(import.meta.url);',
      'const __filename = __otelFileURLToPath(import.meta.url);',
      'const __dirname = __otelDirname(__filename);',
    ].join(' '),
  },
});
if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(serverBuild.metafile, { verbose: false }));
}

await build({
  ...common,
  entryPoints: [join(root, 'client', 'src', 'extension.ts')],
  outfile: join(out, 'extension.js'),
  format: 'cjs',
  external: ['vscode'],
});

for (const [pkg, file] of [
  ['web-tree-sitter', 'web-tree-sitter.wasm'],
  ['tree-sitter-python', 'tree-sitter-python.wasm'],
]) {
  await copyFile(require.resolve(`${pkg}/${file}`), join(out, file));
}

for (const file of ['extension.js', 'server.mjs', 'web-tree-sitter.wasm', 'tree-sitter-python.wasm']) {
  const { size } = await stat(join(out, file));
  console.log(`dist/${file} ${(size / 1024).toFixed(0)} KiB`);
}
