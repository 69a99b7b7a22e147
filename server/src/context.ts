import type { Connection } from 'vscode-languageserver';
import type { Linting } from './lint';
import type { Session } from './session';
import type { Status } from './status';
import type { Validator } from './validator';
import type { WorkspaceConfigs } from './workspace-config';

/** What every handler gets: the connection, the session and the services built on them. */
export interface ServerContext {
  readonly connection: Connection;
  readonly session: Session;
  readonly status: Status;
  readonly validator: Validator;
  /** Resolves once the bundled plugin is loaded; rejects with a clear message when it cannot be. */
  readonly linting: Promise<Linting>;
  readonly workspaceConfigs: WorkspaceConfigs;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
