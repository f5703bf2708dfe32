import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnv, parseEnvFile } from './env.ts';
import { ConfigError, substitutePlaceholders } from './placeholders.ts';
import { loadProviderSettings, loadProvidersFile } from './providers-file.ts';

const REPO = resolve(import.meta.dirname, '../../../..');

const VALID = `
llm: { type: openai-chat, base_url: "\${LLM_URL}", model: "\${LLM_MODEL:-qwen3}" }
stt: { type: whisper-cpp, base_url: http://127.0.0.1:8080 }
tts: { type: fish-speech, base_url: http://127.0.0.1:8081 }
embedding: { type: openai-embeddings, base_url: "\${EMB_URL:-http://127.0.0.1:8082}", api_key: "\${EMB_KEY:-}" }
`;

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'va-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('.env files', () => {
  it('parses KEY=VALUE lines with comments, quotes and export', () => {
    expect(parseEnvFile('# c\nA=1\nexport B = two # note\nC="x # y"\nD=\'q\'\nnot a line\nE=')).toEqual({ A: '1', B: 'two', C: 'x # y', D: 'q', E: '' });
  });

  it('real variables win over .env, which wins over .env.default', () => {
    const dir = tempDir({ '.env.default': 'A=default\nB=default\nC=default\n', '.env': 'B=dotenv\nC=dotenv\n' });
    expect(loadEnv(dir, { C: 'real' })).toMatchObject({ A: 'default', B: 'dotenv', C: 'real' });
  });
});

describe('placeholders', () => {
  it('fills ${VAR} and ${VAR:-default}; empty or unset takes the default', () => {
    const tree = { a: '${X}', b: { c: ['${Y:-dflt}', 'p-${X}-s'] }, d: '${Z:-}', n: 3 };
    expect(substitutePlaceholders(tree, { X: 'x', Y: '' }, 'f.yaml')).toEqual({ a: 'x', b: { c: ['dflt', 'p-x-s'] }, d: '', n: 3 });
  });

  it('an unresolved placeholder is an error naming every key and the file', () => {
    const run = () => substitutePlaceholders({ llm: { base_url: '${LLM_URL}' }, tts: { keys: ['${K}'] } }, {}, 'config/providers.yaml');
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('config/providers.yaml: unresolved placeholders at llm.base_url (${LLM_URL}), tts.keys[0] (${K})');
  });
});

describe('providers file', () => {
  it('loads, substitutes and validates', () => {
    const dir = tempDir({ 'p.yaml': VALID });
    const pc = loadProvidersFile(join(dir, 'p.yaml'), { LLM_URL: 'http://gpu:8000' });
    expect(pc.llm).toMatchObject({ type: 'openai-chat', base_url: 'http://gpu:8000', model: 'qwen3' });
    expect(pc.embedding).toMatchObject({ base_url: 'http://127.0.0.1:8082', api_key: '' });
  });

  it('names the file and the key of a wrong field, a missing role, bad YAML, a missing file', () => {
    const dir = tempDir({
      'bad-field.yaml': VALID.replace('type: whisper-cpp', 'type: whisper-cpp, timeouts: { total_ms: soon }'),
      'no-tts.yaml': VALID.replace(/^tts:.*$/m, ''),
      'bad.yaml': 'llm: [unclosed',
    });
    const env = { LLM_URL: 'http://x' };
    expect(() => loadProvidersFile(join(dir, 'bad-field.yaml'), env)).toThrow(/bad-field\.yaml: invalid provider config:\n {2}stt\.timeouts\.total_ms: /);
    expect(() => loadProvidersFile(join(dir, 'no-tts.yaml'), env)).toThrow(/no-tts\.yaml: invalid provider config:\n {2}tts: /);
    expect(() => loadProvidersFile(join(dir, 'bad.yaml'), env)).toThrow(/bad\.yaml: not valid YAML/);
    expect(() => loadProvidersFile(join(dir, 'absent.yaml'), env)).toThrow(/absent\.yaml: cannot read provider config/);
  });

  it('the repository config and every preset load with nothing but .env.default', () => {
    for (const file of ['config/providers.yaml', 'config/presets/qwen3-30b-a3b-moe.yaml', 'config/presets/qwen3-8b.yaml', 'config/presets/speaches-kokoro.yaml']) {
      const { providers, path } = loadProviderSettings(REPO, { PROVIDERS_CONFIG: file });
      expect(path).toBe(join(REPO, file));
      expect(Object.keys(providers).sort()).toEqual(['embedding', 'llm', 'stt', 'tts']);
    }
    // a preset whose server address has no default says which variable to set
    expect(() => loadProviderSettings(REPO, { PROVIDERS_CONFIG: 'config/presets/remote-llm-gpu.yaml' })).toThrow(/REMOTE_LLM_BASE_URL/);
  });
});
