import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Running VS Code here: code-server (VS Code's server and web workbench, installed by install.sh)
 * hosts the extension and the in-editor tests; Debian's Chromium, driven by playwright-core, is the
 * window. Paths, installation checks and the code-server process live here.
 */

export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
export const E2E_SOURCES = path.join(REPOSITORY, 'test', 'e2e');
export const CODE_SERVER_VERSION = '4.100.3';
export const WORK = process.env.OTEL_E2E_WORK ?? path.join(E2E_SOURCES, '.work');
const PREFIX = path.join(WORK, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_ENTRY = path.join(PREFIX, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.OTEL_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const EXTENSION_ID = 'otel-async-lint.otel-async-lint';

/** Why the in-editor tests cannot run on this machine, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(path.join(PREFIX, '.installed')) || !existsSync(CODE_SERVER_ENTRY)) {
    return `code-server ${CODE_SERVER_VERSION} is not installed in ${WORK}: run test/e2e/install.sh (.ci/run does)`;
  }
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: run test/e2e/install.sh (.ci/run does)`;
  return undefined;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Profile {
  readonly root: string;
  readonly userData: string;
  readonly extensions: string;
  readonly xdg: string;
}

/** A fresh user-data and extensions directory: trust prompts, welcome pages and updates off. */
export function createProfile(root: string): Profile {
  const profile = { root, userData: path.join(root, 'user-data'), extensions: path.join(root, 'extensions'), xdg: path.join(root, 'xdg') };
  mkdirSync(path.join(profile.userData, 'User'), { recursive: true });
  mkdirSync(profile.extensions, { recursive: true });
  mkdirSync(profile.xdg, { recursive: true });
  writeFileSync(
    path.join(profile.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'editor.minimap.enabled': false,
        // The fixture workspace sits inside this repository's git checkout: no repository prompts.
        'git.enabled': false,
        'git.openRepositoryInParentFolders': 'never',
      },
      null,
      2,
    ),
  );
  return profile;
}

function codeServerEnv(profile: Profile): NodeJS.ProcessEnv {
  // Keep code-server's own config and data out of the user's home directory.
  return { ...process.env, XDG_CONFIG_HOME: path.join(profile.xdg, 'config'), XDG_DATA_HOME: path.join(profile.xdg, 'data') };
}

/** Installs a VSIX into the profile, as a user does, and returns the folder it was unpacked into. */
export function installVsix(profile: Profile, vsix: string): string {
  const result = spawnSync(
    process.execPath,
    [CODE_SERVER_ENTRY, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions, '--install-extension', vsix],
    { env: codeServerEnv(profile), encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`code-server --install-extension failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  const folder = readdirSync(profile.extensions).find((name) => name.startsWith(`${EXTENSION_ID}-`));
  if (folder === undefined) throw new Error(`the VSIX did not install ${EXTENSION_ID}:\n${result.stdout}`);
  return path.join(profile.extensions, folder);
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  log: string;
  stop(): Promise<void>;
}

/** Starts code-server on loopback and resolves once it answers HTTP. */
export async function startCodeServer(profile: Profile, workspace: string): Promise<RunningCodeServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      CODE_SERVER_ENTRY,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', profile.userData,
      '--extensions-dir', profile.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      workspace,
    ],
    { env: codeServerEnv(profile), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const server: RunningCodeServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    log: '',
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Its own process group: the extension host and the language server go with it.
      try {
        process.kill(-(child.pid ?? 0), 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, 5000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (server.log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (server.log += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${server.log}`);
    try {
      const response = await fetch(`${server.url}/healthz`);
      if (response.ok) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not answer within 60 s:\n${server.log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
