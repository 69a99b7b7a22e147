import type { DidChangeConfigurationParams } from 'vscode-languageserver';
import type { ServerContext } from '../context';
import { SETTINGS_SECTION } from '../protocol';

/** Settings (or workspace trust) changed: forget cached settings and configs, lint open documents again. */
export function didChangeConfiguration(context: ServerContext, params: DidChangeConfigurationParams): void {
  const settings = params.settings as Record<string, unknown> | null | undefined;
  if (settings && typeof settings === 'object' && SETTINGS_SECTION in settings) context.session.pushedSettings = settings[SETTINGS_SECTION];
  context.session.clearSettings();
  context.workspaceConfigs.clear();
  context.validator.scheduleAll();
}
