import * as vscode from 'vscode';
import type { ConfigurationParams } from 'vscode-languageclient';
import type { ConfigurationMiddleware } from 'vscode-languageclient';
import { SETTINGS_SECTION, type ClientSettings } from 'otel-async-lint-server/protocol';

/**
 * Answers the server's `workspace/configuration` requests for the `otelAsync` section with the
 * settings of the document's scope plus what only the editor knows: whether the workspace is trusted
 * and which workspace folder the document is in. The server validates and defaults the values.
 */
export function settingsFor(scopeUri: string | undefined): ClientSettings {
  const resource = scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri);
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, resource);
  const folder = resource === undefined ? undefined : vscode.workspace.getWorkspaceFolder(resource);
  return {
    enable: config.get('enable'),
    run: config.get('run'),
    rules: config.get('rules'),
    ruleOptions: config.get('ruleOptions'),
    extraBlockingCalls: config.get('extraBlockingCalls'),
    shutdownSignals: config.get('shutdownSignals'),
    showSyntaxErrors: config.get('showSyntaxErrors'),
    useWorkspaceConfig: config.get('useWorkspaceConfig'),
    workspaceTrusted: vscode.workspace.isTrusted,
    workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
  };
}

export const configurationMiddleware: ConfigurationMiddleware = {
  configuration: async (params: ConfigurationParams, token, next) => {
    // Other sections (none today) keep the default behaviour.
    const defaults = (await next(params, token)) as unknown[];
    if (!Array.isArray(defaults)) return defaults;
    return params.items.map((item, index) => (item.section === SETTINGS_SECTION ? settingsFor(item.scopeUri) : defaults[index]));
  },
};
