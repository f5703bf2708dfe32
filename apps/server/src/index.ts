export { createApp, type App, type CreateAppOptions } from './app.ts';
export { createLogger } from './logger.ts';
export { loadEnv, parseEnvFile, loadProvidersFile, ConfigError, substitutePlaceholders } from '@va/providers';
