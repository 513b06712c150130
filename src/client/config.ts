import * as vscode from 'vscode';
import { sanitizeSettings, SETTING_KEYS, type Settings } from '../shared/settings';

/** The client's only reader of configuration: typed, sanitized (design rule 3). */
export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('sourceline');
  return sanitizeSettings({
    exclude: config.get<unknown>(SETTING_KEYS.exclude),
    maxFileSize: config.get<unknown>(SETTING_KEYS.maxFileSize),
    embeddingModel: config.get<unknown>(SETTING_KEYS.embeddingModel),
    hoverEnabled: config.get<unknown>(SETTING_KEYS.hoverEnabled),
  });
}

export function affectsSourceline(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('sourceline');
}
