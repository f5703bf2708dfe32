export * from './version.ts';
export * from './errors.ts';
export * from './client-messages.ts';
export * from './server-messages.ts';
export * from './frame.ts';
export * from './parse.ts';
export * from './language.ts';
