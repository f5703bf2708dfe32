export { createApp, type App, type CreateAppOptions } from './app.ts';
export { createLogger } from './logger.ts';
export { loadEnv, parseEnvFile } from './config/env.ts';
export { loadProvidersFile } from './config/providers-file.ts';
export { ConfigError, substitutePlaceholders } from './config/placeholders.ts';
