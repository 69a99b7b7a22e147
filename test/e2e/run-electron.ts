import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { createProfile, EXTENSION_ID } from './code-server.js';
import { bundleSuite, packageVsix, prepareWorkspace, type SuiteReport } from './prepare.js';

/**
 * The same in-editor suite in the desktop VS Code, for machines that can download it (a laptop, public
 * CI): `npm run test:e2e:electron`. It downloads VS Code (OTEL_E2E_VSCODE_VERSION, default "stable"),
 * installs the packaged VSIX into a fresh profile and runs test/e2e/suite in its extension host.
 * (Here, without internet access, `npm test` runs the suite in code-server instead.)
 */

const run = mkdtempSync(path.join(tmpdir(), 'otel-async-e2e-'));
const profile = createProfile(path.join(run, 'profile'));
const vsix = packageVsix(run);
const suite = await bundleSuite(run);
const workspace = prepareWorkspace(run);

const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.OTEL_E2E_VSCODE_VERSION ?? 'stable');
const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
if (cli === undefined) throw new Error('no VS Code CLI');
mkdirSync(profile.extensions, { recursive: true });
const installed = spawnSync(cli, [...cliArgs, '--extensions-dir', profile.extensions, '--install-extension', vsix], { encoding: 'utf8', shell: process.platform === 'win32' });
if (installed.status !== 0) throw new Error(`installing the VSIX failed:\n${installed.stdout}\n${installed.stderr}`);
const folder = readdirSync(profile.extensions).find((name) => name.startsWith(`${EXTENSION_ID}-`));
if (folder === undefined) throw new Error('the VSIX did not install the extension');

let failure: unknown;
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: path.join(profile.extensions, folder),
    extensionTestsPath: path.join(suite, 'index.js'),
    launchArgs: [workspace, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions, '--disable-workspace-trust'],
  });
} catch (error) {
  failure = error;
}
const report = JSON.parse(readFileSync(path.join(suite, 'results.json'), 'utf8')) as SuiteReport;
for (const result of report.results) console.log(`${result.ok ? 'ok' : 'not ok'} - ${result.name} (${result.ms} ms)${result.ok ? '' : `\n${result.error ?? ''}`}`);
console.log(`VS Code ${report.vscodeVersion}: ${report.results.filter((result) => result.ok).length}/${report.results.length} in-editor tests passed`);
if (failure !== undefined) {
  console.error(failure);
  process.exitCode = 1;
}
