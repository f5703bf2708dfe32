export * from './capture-logger.ts';
export * from './fake-clock.ts';
export * from './signal.ts';
export * from './speech.ts';
export * from './voice-client.ts';
export * from './openjtalk-fixture.ts';
