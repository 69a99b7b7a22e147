import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, type RunningCodeServer } from './code-server.js';

/**
 * Opens the workbench in headless Chromium with the extension-host test parameters and waits for the
 * suite's exit code (reported through the workbench's automation hook). When `screenshotPath` is
 * given, the suite pauses with the quick-fix menu open and the page is captured.
 */
export interface SuiteRun {
  readonly exitCode: number;
  readonly log: string[];
}

export async function runSuiteInBrowser(options: {
  server: RunningCodeServer;
  workspace: string;
  extensionPath: string;
  suitePath: string;
  screenshotPath?: string;
  timeoutMs: number;
}): Promise<SuiteRun> {
  const { server, workspace, extensionPath, suitePath, screenshotPath, timeoutMs } = options;
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const log: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      reportExit(code);
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      log.push(`${type}: ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`);
    });
    const remote = (file: string): string => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(path.join(suitePath, 'index.js'))],
    ]);
    if (screenshotPath !== undefined) writeFileSync(path.join(suitePath, 'screenshot.request'), '');
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);

    const deadline = Date.now() + timeoutMs;
    let screenshotTaken = screenshotPath === undefined;
    let exitCode: number | undefined;
    void exited.then((code) => (exitCode = code));
    while (exitCode === undefined) {
      if (Date.now() > deadline) throw new Error(`The in-editor suite did not finish within ${timeoutMs} ms. Workbench log:\n${log.slice(-40).join('\n')}`);
      if (!screenshotTaken && screenshotPath !== undefined && existsSync(path.join(suitePath, 'screenshot.ready'))) {
        await page.screenshot({ path: screenshotPath });
        writeFileSync(path.join(suitePath, 'screenshot.done'), '');
        screenshotTaken = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { exitCode, log };
  } finally {
    await browser.close();
  }
}
