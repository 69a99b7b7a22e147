// Bundles the extension for packaging: dist/extension.js (the client), dist/server.mjs (the language
// server with ESLint and the plugin), dist/typescript/ (the TypeScript parser and compiler, loaded on the
// first TS/JS document, with the lib .d.ts files type information needs) and the two tree-sitter WASM
// files the plugin looks for beside itself. Run after `npm run build` (the plugin is bundled from
// rules/dist). `--outdir DIR` writes somewhere else than dist/ (the bundle test does).
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = outputDirectory();
const require = createRequire(join(root, 'package.json'));
const production = !process.argv.includes('--dev');

/** dist/, or the directory after `--outdir` (emptied first, as dist/ is). */
function outputDirectory() {
  const flag = process.argv.indexOf('--outdir');
  if (flag === -1) return join(root, 'dist');
  const directory = process.argv[flag + 1];
  if (directory === undefined) throw new Error('--outdir needs a directory');
  return resolve(directory);
}

/** The TypeScript bundle, relative to dist/server.mjs; its folder also holds the lib .d.ts files. */
const TYPESCRIPT_BUNDLE = './typescript/parser.cjs';

/**
 * The plugin reads package.json files at run time through `createRequire(import.meta.url)(...)`; in a
 * bundle those paths no longer exist, so each such read is replaced by the fields it uses.
 */
function inlinePackageJson(source, path) {
  const pattern = /(?:createRequire\(import\.meta\.url\)|\brequire)\((['"])((?:\.{1,2}\/|@?[\w.-]+\/)[^'"]*package\.json)\1\)/g;
  return source.replace(pattern, (_match, _quote, specifier) => {
    const file = specifier.startsWith('.') ? resolve(dirname(path), specifier) : createRequire(path).resolve(specifier);
    const { name, version } = require(file);
    return `(${JSON.stringify({ name, version })})`;
  });
}

/**
 * The plugin requires `@typescript-eslint/parser` and `typescript` lazily, through its own
 * `createRequire(import.meta.url)`, so Python-only hosts never load the compiler. esbuild leaves such
 * calls alone and the installed extension has no node_modules, so each one is pointed at the TypeScript
 * bundle instead (still a lazy require, now of a file beside dist/server.mjs). The plugin's source is
 * unchanged: npm users get the parser from their node_modules.
 */
const lazyTypescriptRequire = /\brequire\((['"])(@typescript-eslint\/parser|typescript)\1\)/g;
const rewrittenRequires = new Set();
function pointAtTypescriptBundle(source) {
  return source.replace(lazyTypescriptRequire, (_match, _quote, specifier) => {
    rewrittenRequires.add(specifier);
    const exportName = specifier === 'typescript' ? 'typescript' : 'parser';
    return `require(${JSON.stringify(TYPESCRIPT_BUNDLE)}).${exportName}`;
  });
}

const rewritePluginRequires = {
  name: 'rewrite-plugin-requires',
  setup(context) {
    context.onLoad({ filter: /[\\/]rules[\\/]dist[\\/].*\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      return { contents: pointAtTypescriptBundle(inlinePackageJson(source, path)), loader: 'js' };
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
  plugins: [rewritePluginRequires],
  // The loader ESLint uses for eslint.config.ts files is not shipped (such configs get ESLint's own
  // error message). TypeScript is in its own bundle, below.
  external: ['jiti', 'jiti/package.json'],
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
for (const specifier of ['@typescript-eslint/parser', 'typescript']) {
  if (!rewrittenRequires.has(specifier)) {
    throw new Error(`No lazy require('${specifier}') was found in rules/dist to point at ${TYPESCRIPT_BUNDLE}: the installed extension would not lint TS/JS files. Update client/esbuild.mjs.`);
  }
}
if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(serverBuild.metafile, { verbose: false }));
}

// The parser and the compiler in one CommonJS file, so the plugin's two lazy requires share one
// TypeScript. TypeScript finds its lib .d.ts files beside the file it runs from (`__filename`), so they
// are written to the same folder.
const typescriptOut = join(out, dirname(TYPESCRIPT_BUNDLE));
const typescriptBuild = await build({
  ...common,
  metafile: true,
  stdin: {
    contents: "module.exports = { parser: require('@typescript-eslint/parser'), typescript: require('typescript') };",
    resolveDir: root,
    sourcefile: 'typescript-bundle.cjs',
    loader: 'js',
  },
  outfile: join(out, TYPESCRIPT_BUNDLE),
  format: 'cjs',
  // TypeScript's license notice stays with the compiler, as it does in each lib file.
  legalComments: 'eof',
});
await writeTypescriptLibs(typescriptOut);

const clientBuild = await build({
  ...common,
  metafile: true,
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

await writeThirdPartyNotices(
  [serverBuild, typescriptBuild, clientBuild].flatMap((result) => Object.keys(result.metafile.inputs)),
  ['web-tree-sitter', 'tree-sitter-python'],
);

/**
 * dist/THIRD_PARTY_NOTICES.txt: the license of every npm package whose code is in the bundles (found in
 * the esbuild metafiles) or whose WASM is copied. The bundles drop license comments, and most packages
 * keep their license in a file, not in a comment, so the VSIX carries them here.
 */
async function writeThirdPartyNotices(inputs, copiedPackages) {
  const packages = new Set(copiedPackages.map((name) => join(root, 'node_modules', name)));
  for (const input of inputs) {
    const match = /^(.*node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/u.exec(input);
    // Metafile paths are relative to the working directory esbuild ran in.
    if (match?.[1]) packages.add(resolve(process.cwd(), match[1]));
  }
  const sections = [];
  for (const directory of [...packages].sort()) {
    const manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8'));
    const licenseFile = (await readdir(directory)).find((name) => /^(?:licen[cs]e|copying)(?:\.\w+)?$/iu.test(name));
    const text = licenseFile ? (await readFile(join(directory, licenseFile), 'utf8')).trim() : `License: ${manifest.license ?? 'not stated'} (the package ships no license file).`;
    sections.push(`${manifest.name} ${manifest.version}\n${'-'.repeat(72)}\n${text}\n`);
  }
  const header = 'otel-async-lint bundles the following packages. Their licenses follow.\n\n';
  await writeFile(join(out, 'THIRD_PARTY_NOTICES.txt'), header + sections.join('\n'));
  console.log(`dist/THIRD_PARTY_NOTICES.txt: ${sections.length} packages`);
}

/**
 * Every lib .d.ts file of the TypeScript that is bundled: which ones a program reads depends on the
 * user's tsconfig (`target`, `lib`) and on `/// <reference lib>` in their dependencies' types. They are
 * reprinted without comments (their JSDoc is for hovers, which a linter never shows; the license notice
 * is kept): 3.1 MB becomes 1.2 MB. The triple-slash directives are written from the parsed file.
 */
async function writeTypescriptLibs(directory) {
  const ts = require('typescript');
  const libDirectory = dirname(require.resolve('typescript/lib/lib.d.ts'));
  const printer = ts.createPrinter({ removeComments: true });
  for (const name of await readdir(libDirectory)) {
    if (!/^lib\..*\.d\.ts$/.test(name)) continue;
    const text = await readFile(join(libDirectory, name), 'utf8');
    const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    if (file.referencedFiles.length > 0 || file.typeReferenceDirectives.length > 0) {
      throw new Error(`${name} has a /// <reference path|types> directive that writeTypescriptLibs does not keep`);
    }
    const directives = [
      ...(file.hasNoDefaultLib ? ['/// <reference no-default-lib="true"/>'] : []),
      ...file.libReferenceDirectives.map((directive) => `/// <reference lib="${directive.fileName}" />`),
    ];
    // The printer keeps the directives of a file without statements (they lead its end-of-file token).
    const body = printer.printFile(file).replace(/^\/\/\/ <reference [^\n]*\n/gm, '');
    await writeFile(join(directory, name), [...directives, body].join('\n'));
  }
}

let total = 0;
async function sizes(directory) {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      await sizes(path);
      continue;
    }
    const { size } = await stat(path);
    total += size;
    if (!entry.name.endsWith('.d.ts')) console.log(`${relative(out, path)} ${(size / 1024).toFixed(0)} KiB`);
  }
}
await sizes(out);
const libs = (await readdir(typescriptOut)).filter((name) => name.endsWith('.d.ts'));
console.log(`${relative(out, typescriptOut)}/lib.*.d.ts: ${libs.length} files; everything: ${(total / 1024).toFixed(0)} KiB`);
