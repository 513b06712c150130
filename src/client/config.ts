import * as vscode from 'vscode';
import { sanitizeSettings, SETTING_KEYS, type Settings } from '../shared/settings';

/** The client's only reader of configuration: typed, sanitized (design rule 3). */
export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('sourceline');
  const raw = Object.fromEntries(Object.entries(SETTING_KEYS).map(([name, key]) => [name, config.get<unknown>(key)]));
  return sanitizeSettings(raw);
}

export function affectsSourceline(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('sourceline');
}
