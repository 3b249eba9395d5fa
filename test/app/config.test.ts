import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../app/config.ts';

describe('configuration', () => {
  it('documents every environment variable in the README table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = Object.keys(configSchema.shape).filter((key) => !readme.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it('applies defaults and names every bad variable', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.LOA_SAMPLE_KNOWLEDGE).toBe(true);
    expect(config.LOA_TRUST_PROXY).toBe(false);
    expect(loadConfig({ LOA_TRUST_PROXY: '1' }).LOA_TRUST_PROXY).toBe(1);
    expect(() => loadConfig({ PORT: 'abc', LOA_ABSTAIN_THRESHOLD: '2' })).toThrow(/PORT[\s\S]*LOA_ABSTAIN_THRESHOLD/);
  });
});
