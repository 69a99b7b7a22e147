import * as vscode from 'vscode';
import type { StatusParams } from 'otel-async-lint-server/protocol';
import { LINTED_LANGUAGES } from './client';

/** The language status item for the linted languages: ready, linting or error; a click shows the output. */
export class StatusItem implements vscode.Disposable {
  readonly #item: vscode.LanguageStatusItem;

  constructor(showOutputCommand: string) {
    this.#item = vscode.languages.createLanguageStatusItem('otelAsync.status', [...LINTED_LANGUAGES]);
    this.#item.name = 'OTel Async Lint';
    this.#item.command = { title: 'Show Output', command: showOutputCommand };
    this.starting();
  }

  starting(): void {
    this.#set('$(sync~spin) OTel Async Lint: starting', vscode.LanguageStatusSeverity.Information, true, 'The language server is starting');
  }

  stopped(reason: string): void {
    this.#set('$(error) OTel Async Lint: stopped', vscode.LanguageStatusSeverity.Error, false, reason);
  }

  update(status: StatusParams): void {
    switch (status.state) {
      case 'ready':
        this.#set('$(check) OTel Async Lint', vscode.LanguageStatusSeverity.Information, false, 'Ready');
        break;
      case 'linting':
        this.#set('OTel Async Lint: linting', vscode.LanguageStatusSeverity.Information, true, 'Linting');
        break;
      case 'error':
        this.#set('$(warning) OTel Async Lint', vscode.LanguageStatusSeverity.Error, false, status.message);
        break;
    }
  }

  dispose(): void {
    this.#item.dispose();
  }

  #set(text: string, severity: vscode.LanguageStatusSeverity, busy: boolean, detail: string): void {
    this.#item.text = text;
    this.#item.severity = severity;
    this.#item.busy = busy;
    this.#item.detail = detail;
  }
}
