import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification } from 'vscode-languageserver';
import type { ServerContext } from '../context';
import { errorMessage } from '../context';
import { SETTINGS_SECTION } from '../protocol';

/** Asks the client for configuration and config-file change notifications, when it can register them. */
export function initialized(context: ServerContext): void {
  const { capabilities } = context.session;
  const { connection } = context;
  if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true) {
    connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch((error: unknown) => {
      connection.console.warn(`Could not register for configuration changes: ${errorMessage(error)}`);
    });
  }
  if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true) {
    connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/eslint.config.{js,mjs,cjs,ts,mts,cts}' }, { globPattern: '**/package.json' }],
      })
      .catch((error: unknown) => {
        connection.console.warn(`Could not watch ESLint config files: ${errorMessage(error)}`);
      });
  }
}
