import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, needsRestart, sanitizeSettings } from '../../src/shared/settings';

describe('settings', () => {
  it('keeps valid values and replaces invalid ones with defaults', () => {
    expect(sanitizeSettings({ exclude: ['*.gen.ts', 3, ''], maxFileSize: 2048, embeddingModel: ' /models/e5 ', hoverEnabled: false })).toEqual({
      exclude: ['*.gen.ts'], maxFileSize: 2048, embeddingModel: '/models/e5', hoverEnabled: false,
    });
    expect(sanitizeSettings({ exclude: 'dist', maxFileSize: -1, embeddingModel: '', hoverEnabled: 'yes' })).toEqual(DEFAULT_SETTINGS);
    expect(sanitizeSettings({ maxFileSize: 1.5 }).maxFileSize).toBe(DEFAULT_SETTINGS.maxFileSize);
  });

  it('says when a change needs the server restarted', () => {
    expect(needsRestart(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, hoverEnabled: false })).toBe(false);
    expect(needsRestart(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, exclude: ['gen/'] })).toBe(true);
    expect(needsRestart(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, embeddingModel: 'hash' })).toBe(true);
  });
});
