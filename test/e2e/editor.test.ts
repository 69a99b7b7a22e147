import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runSuiteInBrowser } from './browser.js';
import { createProfile, installVsix, missingPrerequisite, startCodeServer } from './code-server.js';
import { bundleSuite, nodeModulesAbove, packageVsix, prepareWorkspace, type SuiteReport } from './prepare.js';

/**
 * The in-editor tests, run by `npm test`: package the VSIX, install it into a fresh code-server
 * profile, open the fixture workspace in headless Chromium and run test/e2e/suite inside VS Code's
 * extension host. Each in-editor test shows up as a subtest here. Set OTEL_E2E_SCREENSHOT to a .png
 * path to capture the editor with the diagnostics and the quick-fix menu open.
 */

const missing = missingPrerequisite();

test('in a real VS Code (code-server) with the packaged VSIX', { skip: missing ?? false, timeout: 600_000 }, async (t) => {
  // Outside the repository: the installed extension must find nothing in a node_modules above it.
  const run = mkdtempSync(path.join(tmpdir(), 'otel-async-e2e-'));
  assert.equal(nodeModulesAbove(run), undefined, `${run} must have no node_modules above it`);
  const profile = createProfile(path.join(run, 'profile'));
  const vsix = packageVsix(run);
  const extensionPath = installVsix(profile, vsix);
  const suite = await bundleSuite(run);
  const workspace = prepareWorkspace(run);
  const server = await startCodeServer(profile, workspace);
  let passed = false;
  try {
    const screenshotPath = process.env.OTEL_E2E_SCREENSHOT;
    const { exitCode, log } = await runSuiteInBrowser({ server, workspace, extensionPath, suitePath: suite, timeoutMs: 240_000, ...(screenshotPath ? { screenshotPath } : {}) });
    const report = JSON.parse(readFileSync(path.join(suite, 'results.json'), 'utf8')) as SuiteReport;
    assert.equal(report.vscodeVersion, '1.100.3');
    for (const result of report.results) {
      await t.test(result.name, () => {
        assert.ok(result.ok, result.error);
      });
    }
    assert.ok(report.results.length >= 12, 'every in-editor test ran');
    assert.equal(exitCode, 0, `the suite reported failure; workbench log tail:\n${log.slice(-20).join('\n')}`);
    passed = true;
  } finally {
    await server.stop();
    // Keep a failed run's files (profile, logs, workspace) for inspection.
    if (passed) rmSync(run, { recursive: true, force: true });
    else t.diagnostic(`kept the failed run's files in ${run}`);
  }
});
