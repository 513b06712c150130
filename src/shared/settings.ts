/**
 * Sourceline's settings: the type, the defaults and the sanitizer, in one place for every process.
 * Adding one: package.json `contributes.configuration` → this type → sanitize → use.
 */
export interface Settings {
  /** Extra gitignore-style patterns to leave out of the index. */
  readonly exclude: readonly string[];
  /** Files above this many bytes are skipped (recorded as too-large). */
  readonly maxFileSize: number;
  /** `builtin`, `hash`, or a folder holding a model. */
  readonly embeddingModel: string;
  readonly hoverEnabled: boolean;
}

export const DEFAULT_SETTINGS: Settings = { exclude: [], maxFileSize: 1024 * 1024, embeddingModel: 'builtin', hoverEnabled: true };

/** Settings the server reads at start: changing one needs a server restart. */
export const RESTART_SETTINGS: readonly (keyof Settings)[] = ['exclude', 'maxFileSize', 'embeddingModel'];

/** The `sourceline.*` keys as declared in package.json. */
export const SETTING_KEYS: Readonly<Record<keyof Settings, string>> = {
  exclude: 'index.exclude',
  maxFileSize: 'index.maxFileSize',
  embeddingModel: 'embeddings.model',
  hoverEnabled: 'hover.enabled',
};

/** Keeps what is valid and falls back to the default for anything else; never throws. */
export function sanitizeSettings(raw: Readonly<Partial<Record<keyof Settings, unknown>>>): Settings {
  const exclude = Array.isArray(raw.exclude) ? raw.exclude.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : DEFAULT_SETTINGS.exclude;
  const size = raw.maxFileSize;
  const maxFileSize = typeof size === 'number' && Number.isInteger(size) && size >= 1024 ? size : DEFAULT_SETTINGS.maxFileSize;
  const model = typeof raw.embeddingModel === 'string' && raw.embeddingModel.trim() !== '' ? raw.embeddingModel.trim() : DEFAULT_SETTINGS.embeddingModel;
  const hoverEnabled = typeof raw.hoverEnabled === 'boolean' ? raw.hoverEnabled : DEFAULT_SETTINGS.hoverEnabled;
  return { exclude, maxFileSize, embeddingModel: model, hoverEnabled };
}

export function needsRestart(before: Settings, after: Settings): boolean {
  return RESTART_SETTINGS.some((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
