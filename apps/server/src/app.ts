import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { defaultSessionConfig, defaultTurnEndOptions, realClock, type Logger, type SessionConfig, type SessionDeps } from '@va/pipeline';
import type { SessionLanguage } from '@va/protocol';
import { parseAppConfig, type AppConfig } from './config/app-config.ts';
import { languagePolicy, type LanguagePolicy } from './config/language.ts';
import { createLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { SessionRegistry } from './sessions.ts';
import { Cleanups, listen, settleAll } from './lifecycle.ts';
import { appRoutes, fallbackRoute, type RouteContext } from './http/routes.ts';
import { createHttpServer } from './http/server.ts';
import { attachWebSocket } from './ws/upgrade.ts';
import { createEngine, loadLocalParts, type Engine } from './wiring/engine.ts';
import { createPrewarm } from './wiring/prewarm.ts';
import type { StandinsProcess } from './standins/standins-process.ts';

export interface App {
  config: AppConfig;
  server: Server;
  url: string;
  metrics: Metrics;
  sessions: SessionRegistry;
  /** The embedded stand-ins' process (STANDINS=embedded), else null. */
  standins: StandinsProcess | null;
  languages: LanguagePolicy;
  logger: Logger;
  /** Shutdown: sessions end (`session.end {reason: "shutdown"}`, close 1001) at once, then everything else. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  env: Record<string, string>;
  cwd: string;
  logger?: Logger;
  /** Overrides of the voice-loop tuning (tests, benchmark). */
  session?: Partial<SessionConfig>;
}

function sessionConfigOf(config: AppConfig, sttOption: string | undefined, overrides: Partial<SessionConfig> | undefined): SessionConfig {
  return {
    ...defaultSessionConfig,
    partialIntervalMs: config.PARTIAL_INTERVAL_MS,
    idleTimeoutMs: config.IDLE_TIMEOUT_MS,
    endpointer: { ...defaultSessionConfig.endpointer, redemptionMs: config.ENDPOINT_SILENCE_MS },
    turnEnd: config.TURN_END === 'words' ? { ...defaultTurnEndOptions, maxMs: config.ENDPOINT_SILENCE_MS } : null,
    bargeIn: config.BARGE_IN === 'judge' ? defaultSessionConfig.bargeIn : null,
    // the configured STT language: `auto` is sent as is, anything else gives way to the session's language
    language: sttOption ?? defaultSessionConfig.language,
    ...overrides,
  };
}

function sessionDepsFactory(engine: Engine, config: SessionConfig, shared: Pick<SessionDeps, 'logger' | 'metrics' | 'prewarm'>) {
  return (sessionId: string, language: SessionLanguage): SessionDeps => ({
    sessionId,
    clock: realClock,
    logger: shared.logger.child({ session_id: sessionId }),
    stt: engine.stt,
    llm: engine.llm,
    tts: engine.tts,
    retriever: engine.retriever,
    log: engine.log,
    metrics: shared.metrics,
    createVad: () => engine.vadModel.createStream(),
    prewarm: shared.prewarm,
    config,
    language,
  });
}

/** STANDINS=embedded: the stand-ins' process (its module is imported only then) and the env pointing at it. */
async function startStandinsIfEmbedded(config: AppConfig, env: Record<string, string>, logger: Logger, cleanups: Cleanups): Promise<{ standins: StandinsProcess | null; env: Record<string, string> }> {
  if (config.STANDINS !== 'embedded') return { standins: null, env };
  const { startEmbeddedStandins } = await import('./standins/embedded.ts');
  const started = await startEmbeddedStandins(config, env, logger);
  cleanups.add(() => started.standins.close());
  return started;
}

/** Composition root: config -> stand-ins (embedded default, own process) -> providers -> pipeline -> HTTP routes + WebSocket. */
export async function createApp(opts: CreateAppOptions): Promise<App> {
  const config = parseAppConfig(opts.env);
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const cleanups = new Cleanups();
  // Listen first: a taken port fails the start at once; requests get 503 "starting" until ready.
  const { server, setRoutes } = createHttpServer({ logger, headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS });
  const port = await listen(server, config.PORT, config.HOST);
  cleanups.add(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        if (!server.listening) return r();
        server.close(() => r());
      }),
  );
  try {
    const ctx0 = { config, cwd: opts.cwd, logger, cleanups };
    const [started, local] = await settleAll([startStandinsIfEmbedded(config, opts.env, logger, cleanups), loadLocalParts(ctx0)]);
    const { standins, env } = started;
    const isMock = standins !== null || /^(1|true|yes)$/i.test(env.MOCK_PROVIDERS ?? '');
    const engine = await createEngine({ ...ctx0, env, local });
    const languages = languagePolicy({ defaultLanguage: config.DEFAULT_LANGUAGE, sttOption: engine.sttOptionLanguage, sttLanguages: config.STT_LANGUAGES, standinStt: isMock });
    const metrics = new Metrics();
    const prewarm = createPrewarm([engine.embedder, engine.llm, engine.tts]);
    const sessionConfig = sessionConfigOf(config, engine.sttOptionLanguage, opts.session);
    const makeDeps = sessionDepsFactory(engine, sessionConfig, { logger, metrics, prewarm });
    const sessions = new SessionRegistry(makeDeps, logger, { resumeGraceMs: 120_000, maxSessions: config.MAX_SESSIONS });
    const ctx = routeContext(config, opts.cwd, { engine, isMock, metrics, sessions, languages });
    setRoutes({ routes: appRoutes(ctx), fallback: fallbackRoute(ctx) });
    const stopUpgrades = attachWebSocket(server, {
      allowedOrigins: config.ALLOWED_ORIGINS,
      logger,
      connection: {
        appToken: config.APP_TOKEN,
        isMock: () => isMock,
        idleTimeoutMs: sessionConfig.idleTimeoutMs,
        languages,
        claimSession: (id, c, language) => sessions.claim(id, c, language),
        releaseSession: (id, c) => sessions.release(id, c),
        onAudioDropped: () => (metrics.droppedAudioFrames += 1),
      },
    });
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    logger.info({ url, is_mock: isMock, db: engine.log.backend, index_loaded: engine.retriever.loaded, default_language: languages.defaultLanguage }, 'app listening');
    let closing: Promise<void> | null = null;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        server.close(); // no new connections; upgraded sockets are the sessions'
        await sessions.closeAll();
        await stopUpgrades();
        server.closeAllConnections();
        await cleanups.run();
      })());
    return { config, server, url, metrics, sessions, standins, languages, logger, close };
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}

function routeContext(
  config: AppConfig,
  cwd: string,
  parts: { engine: Engine; isMock: boolean; metrics: Metrics; sessions: SessionRegistry; languages: LanguagePolicy },
): RouteContext {
  const { engine, metrics, sessions, languages } = parts;
  const startedAt = Date.now();
  return {
    health: {
      isMock: parts.isMock,
      fallbackCount: () => metrics.totalFallbacks,
      thinkingTurns: () => metrics.thinkingTurns,
      providers: [engine.llm, engine.stt, engine.tts, engine.embedder],
      database: engine.log,
      get index() {
        return { loaded: engine.retriever.loaded, size: engine.retriever.size };
      },
      startedAt,
      sessions: () => sessions.connected,
      voiceInput: languages.voiceInput,
    },
    metrics,
    sessions,
    textChat: { appToken: config.APP_TOKEN, sessions, sessionLanguage: (tag) => languages.sessionLanguage(tag) },
    web: { distDir: resolve(cwd, config.WEB_DIST), pageConfig: () => ({ token: config.APP_TOKEN, language: null }) },
  };
}
