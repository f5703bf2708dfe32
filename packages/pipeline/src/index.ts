export * from './ports.ts';
export * from './clock.ts';
export * from './err-info.ts';
export * from './audio/index.ts';
export * from './text/index.ts';
export * from './listen/index.ts';
export * from './answer/index.ts';
export * from './session/index.ts';
