import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, endpointOf, needsRestart, sanitizeSettings } from '../../src/shared/settings';

describe('settings', () => {
  it('keeps valid values and replaces invalid ones with defaults', () => {
    expect(sanitizeSettings({ exclude: ['*.gen.ts', 3, ''], maxFileSize: 2048, embeddingModel: ' /models/e5 ', hoverEnabled: false, include: ['gen/schema.ts'] })).toEqual({
      ...DEFAULT_SETTINGS, exclude: ['*.gen.ts'], include: ['gen/schema.ts'], maxFileSize: 2048, embeddingModel: '/models/e5', hoverEnabled: false,
    });
    expect(sanitizeSettings({ exclude: 'dist', maxFileSize: -1, embeddingModel: '', hoverEnabled: 'yes', useEditorModel: 'no', knowledgeBaseUrl: 7 })).toEqual(DEFAULT_SETTINGS);
    expect(sanitizeSettings({ maxFileSize: 1.5 }).maxFileSize).toBe(DEFAULT_SETTINGS.maxFileSize);
  });

  it('accepts only http(s) endpoint URLs and pairs them with a model id', () => {
    const s = sanitizeSettings({ knowledgeBaseUrl: ' http://localhost:11434/v1 ', knowledgeModel: 'llama3.1', houseStyleBaseUrl: 'file:///etc/passwd', houseStyleModel: 'ft:x' });
    expect(s.knowledgeBaseUrl).toBe('http://localhost:11434/v1');
    expect(s.houseStyleBaseUrl).toBe('');
    expect(endpointOf(s.knowledgeBaseUrl, s.knowledgeModel)).toEqual({ baseUrl: 'http://localhost:11434/v1', model: 'llama3.1' });
    expect(endpointOf(s.houseStyleBaseUrl, s.houseStyleModel)).toBeNull();
    expect(endpointOf('https://api.openai.com/v1', '')).toBeNull();
  });

  it('says when a change needs the server restarted', () => {
    expect(needsRestart(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, hoverEnabled: false })).toBe(false);
    expect(needsRestart(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, exclude: ['gen/'] })).toBe(true);
    expect(needsRestart(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, embeddingModel: 'hash' })).toBe(true);
    expect(needsRestart(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, include: ['gen/'] })).toBe(true);
    // Model settings reach the running server: no restart.
    expect(needsRestart(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, knowledgeBaseUrl: 'http://localhost:11434/v1' })).toBe(false);
  });
});
