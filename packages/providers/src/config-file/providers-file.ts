import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { providerConfigSchema, type ProviderConfig } from '../config.ts';
import { loadEnv } from './env.ts';
import { ConfigError, substitutePlaceholders } from './placeholders.ts';

const fileSchema = z.object({
  llm: providerConfigSchema,
  stt: providerConfigSchema,
  tts: providerConfigSchema,
  embedding: providerConfigSchema,
});

export interface ProvidersFile {
  llm: ProviderConfig;
  stt: ProviderConfig;
  tts: ProviderConfig;
  embedding: ProviderConfig;
}

/** Reads config/providers.yaml: YAML -> ${VAR} substitution -> zod validation with clear messages. */
export function loadProvidersFile(path: string, env: Record<string, string>): ProvidersFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read provider config (${(error as Error).message})`);
  }
  let tree: unknown;
  try {
    tree = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const filled = substitutePlaceholders(tree, env, path);
  const result = fileSchema.safeParse(filled);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${path}: invalid provider config:\n${lines.join('\n')}`);
  }
  return filled as ProvidersFile;
}

/**
 * The provider settings a command-line tool shares with the app: the environment (real variables
 * over `.env` over `.env.default`, in `cwd`) and the file it names (`PROVIDERS_CONFIG`, default
 * `config/providers.yaml`), so `npm run ingest` embeds with exactly the server the app queries.
 */
export function loadProviderSettings(cwd: string, processEnv: NodeJS.ProcessEnv = process.env): { path: string; env: Record<string, string>; providers: ProvidersFile } {
  const env = loadEnv(cwd, processEnv);
  const path = resolve(cwd, env['PROVIDERS_CONFIG'] || 'config/providers.yaml');
  return { path, env, providers: loadProvidersFile(path, env) };
}
