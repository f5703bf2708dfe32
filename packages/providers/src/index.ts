export { createLlm, createStt, createTts, createEmbedder } from './registry.ts';
export { loadEnv, parseEnvFile } from './config-file/env.ts';
export { ConfigError, substitutePlaceholders } from './config-file/placeholders.ts';
export { loadProvidersFile, loadProviderSettings } from './config-file/providers-file.ts';
