import { describe, expect, it } from 'vitest';
import { ProviderConfigError, parseProviderConfig, resolveTimeouts } from './config.ts';
import { createEmbedder, createLlm, createStt, createTts } from './registry.ts';

describe('provider config', () => {
  it('accepts the providers.yaml shapes, env strings included; "" means unset', () => {
    const c = parseProviderConfig({
      type: 'openai-chat',
      base_url: 'http://127.0.0.1:18000',
      model: 'auto',
      api_key: '',
      timeouts: { first_byte_ms: '10000', total_ms: 60000 },
      options: { disable_thinking: true, max_tokens: '256' },
    });
    expect(c.api_key).toBeUndefined();
    expect(resolveTimeouts('llm', c.timeouts)).toEqual({ connectMs: 3000, firstByteMs: 10000, totalMs: 60000 });
    expect(resolveTimeouts('embedding', undefined).totalMs).toBe(5000);
  });

  it('names unknown keys and bad values', () => {
    expect(() => parseProviderConfig({ type: 'openai-chat', base_url: 'http://x', modle: 'm' })).toThrow(/"modle"/);
    expect(() => parseProviderConfig({ type: 'nope', base_url: 'http://x' })).toThrow(/type/);
    expect(() => parseProviderConfig({ type: 'openai-chat', base_url: 'not a url' })).toThrow(/base_url/);
    expect(() => parseProviderConfig({ type: 'openai-chat', base_url: 'http://x', timeouts: { total_ms: -1 } })).toThrow(/total_ms/);
  });

  it('createLlm/createStt/createTts/createEmbedder check the type fits the role and validates options', () => {
    expect(() => createStt({ type: 'openai-chat', base_url: 'http://x' })).toThrow(ProviderConfigError);
    expect(() => createTts({ type: 'fish-speech', base_url: 'http://x', options: { sample_rate: 'fast' } })).toThrow(/sample_rate/);
    const llm = createLlm({ type: 'openai-chat', base_url: 'http://x/' });
    expect({ role: llm.role, type: llm.type, baseUrl: llm.baseUrl }).toEqual({ role: 'llm', type: 'openai-chat', baseUrl: 'http://x/' });
    expect(createEmbedder({ type: 'openai-embeddings', base_url: 'http://x' }).role).toBe('embedding');
  });
});
