import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { E2E_SOURCES, REPOSITORY } from './code-server.js';

/** What both launchers prepare: the VSIX users get, the bundled suite and the workspace it opens. */

/** `vsce package` (its prepublish step builds and bundles); returns the .vsix path. */
export function packageVsix(directory: string): string {
  const vsix = path.join(directory, 'otel-async-lint.vsix');
  const vsce = path.join(REPOSITORY, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], { cwd: REPOSITORY, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vsce package failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return vsix;
}

/** The extension-host suite as one CommonJS file (VS Code require()s it); returns its folder. */
export async function bundleSuite(directory: string): Promise<string> {
  const suite = path.join(directory, 'suite');
  mkdirSync(suite, { recursive: true });
  writeFileSync(path.join(suite, 'package.json'), '{ "type": "commonjs" }\n');
  await build({
    entryPoints: [path.join(E2E_SOURCES, 'suite', 'index.ts')],
    outfile: path.join(suite, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return suite;
}

/** A copy of the fixture workspace, with fix-on-save turned on for this extension. */
export function prepareWorkspace(directory: string): string {
  const workspace = path.join(directory, 'workspace');
  cpSync(path.join(E2E_SOURCES, 'fixtures', 'workspace'), workspace, { recursive: true });
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'editor.codeActionsOnSave': { 'source.fixAll.otel-async': 'explicit' }, 'files.autoSave': 'off' }, null, 2),
  );
  return workspace;
}

/** The node_modules in `folder` or above it, where an installed extension could resolve packages from. */
export function nodeModulesAbove(folder: string): string | undefined {
  for (let current = folder; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'node_modules'))) return path.join(current, 'node_modules');
    if (path.dirname(current) === current) return undefined;
  }
}

export interface SuiteReport {
  readonly vscodeVersion: string;
  readonly results: readonly { name: string; ok: boolean; ms: number; error?: string }[];
}
