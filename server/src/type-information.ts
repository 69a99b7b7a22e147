import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ResolvedSettings } from './protocol';

/**
 * When TS/JS documents are linted with type information: in a trusted workspace (the TypeScript
 * project service reads the workspace's tsconfig.json and the files it names, and may load its
 * plugins), for a file on disk inside the workspace folder, when that folder has a tsconfig.json.
 * Otherwise linting is syntactic.
 */
export function typeInformationRoot(filePath: string | undefined, settings: ResolvedSettings): string | undefined {
  const folder = settings.workspaceFolder;
  if (!settings.workspaceTrusted || folder === undefined || filePath === undefined) return undefined;
  const root = path.resolve(folder);
  const relative = path.relative(root, filePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return existsSync(path.join(root, 'tsconfig.json')) ? root : undefined;
}
