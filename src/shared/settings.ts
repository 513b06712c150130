/**
 * Sourceline's settings: the type, the defaults and the sanitizer, in one place for every process.
 * Adding one: package.json `contributes.configuration` → this type → sanitize → use.
 */
export interface Settings {
  /** Extra gitignore-style patterns to leave out of the index. */
  readonly exclude: readonly string[];
  /** Patterns to index even when `.gitignore` or `exclude` leaves them out. */
  readonly include: readonly string[];
  /** Files above this many bytes are skipped (recorded as too-large). */
  readonly maxFileSize: number;
  /** `builtin`, `hash`, or a folder holding a model. */
  readonly embeddingModel: string;
  readonly hoverEnabled: boolean;
  /** The knowledge role: an OpenAI-compatible endpoint used with retrieval ('' = none). */
  readonly knowledgeBaseUrl: string;
  readonly knowledgeModel: string;
  /** Without a knowledge endpoint, use a chat model the editor offers (vscode.lm, e.g. Copilot). */
  readonly useEditorModel: boolean;
  /** The house-style role: a fine-tuned model's endpoint ('' = none). */
  readonly houseStyleBaseUrl: string;
  readonly houseStyleModel: string;
  /** Seconds one answer from an endpoint may take, retries included. */
  readonly answerTimeout: number;
}

export const DEFAULT_SETTINGS: Settings = {
  exclude: [], include: [], maxFileSize: 1024 * 1024, embeddingModel: 'builtin', hoverEnabled: true,
  knowledgeBaseUrl: '', knowledgeModel: '', useEditorModel: true, houseStyleBaseUrl: '', houseStyleModel: '', answerTimeout: 120,
};

/** Settings the server reads at start: changing one needs a server restart. The rest apply at once. */
export const RESTART_SETTINGS: readonly (keyof Settings)[] = ['exclude', 'include', 'maxFileSize', 'embeddingModel'];

/** The `sourceline.*` keys as declared in package.json. */
export const SETTING_KEYS: Readonly<Record<keyof Settings, string>> = {
  exclude: 'index.exclude',
  include: 'index.include',
  maxFileSize: 'index.maxFileSize',
  embeddingModel: 'embeddings.model',
  hoverEnabled: 'hover.enabled',
  knowledgeBaseUrl: 'models.knowledge.baseUrl',
  knowledgeModel: 'models.knowledge.model',
  useEditorModel: 'models.knowledge.useEditorModel',
  houseStyleBaseUrl: 'models.houseStyle.baseUrl',
  houseStyleModel: 'models.houseStyle.model',
  answerTimeout: 'models.answerTimeout',
};

function patterns(value: unknown, fallback: readonly string[]): readonly string[] {
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : fallback;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

/** An http(s) URL, or '' (anything else would only fail later, at the first question). */
function url(value: unknown): string {
  const v = text(value, '');
  if (v === '') return '';
  try {
    const parsed = new URL(v);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? v : '';
  } catch {
    return '';
  }
}

/** Keeps what is valid and falls back to the default for anything else; never throws. */
export function sanitizeSettings(raw: Readonly<Partial<Record<keyof Settings, unknown>>>): Settings {
  const size = raw.maxFileSize;
  const maxFileSize = typeof size === 'number' && Number.isInteger(size) && size >= 1024 ? size : DEFAULT_SETTINGS.maxFileSize;
  const model = text(raw.embeddingModel, '');
  return {
    exclude: patterns(raw.exclude, DEFAULT_SETTINGS.exclude),
    include: patterns(raw.include, DEFAULT_SETTINGS.include),
    maxFileSize,
    embeddingModel: model === '' ? DEFAULT_SETTINGS.embeddingModel : model,
    hoverEnabled: typeof raw.hoverEnabled === 'boolean' ? raw.hoverEnabled : DEFAULT_SETTINGS.hoverEnabled,
    knowledgeBaseUrl: url(raw.knowledgeBaseUrl),
    knowledgeModel: text(raw.knowledgeModel, ''),
    useEditorModel: typeof raw.useEditorModel === 'boolean' ? raw.useEditorModel : DEFAULT_SETTINGS.useEditorModel,
    houseStyleBaseUrl: url(raw.houseStyleBaseUrl),
    houseStyleModel: text(raw.houseStyleModel, ''),
    answerTimeout: typeof raw.answerTimeout === 'number' && Number.isFinite(raw.answerTimeout) && raw.answerTimeout >= 5 ? Math.round(raw.answerTimeout) : DEFAULT_SETTINGS.answerTimeout,
  };
}

/** The two model roles: `knowledge` (questions, with retrieval) and `houseStyle` (a fine-tuned model). */
export type ModelRole = 'knowledge' | 'houseStyle';

/** Where an endpoint's API key comes from: the CLI's environment, or the language server's (set by the client from SecretStorage). */
export const API_KEY_ENV: Readonly<Record<ModelRole, string>> = { knowledge: 'SOURCELINE_API_KEY', houseStyle: 'SOURCELINE_STYLE_API_KEY' };

export function needsRestart(before: Settings, after: Settings): boolean {
  return RESTART_SETTINGS.some((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** Both parts of an endpoint role set, or null: a base URL without a model id cannot be asked. */
export function endpointOf(baseUrl: string, model: string): { baseUrl: string; model: string } | null {
  return baseUrl !== '' && model !== '' ? { baseUrl, model } : null;
}
