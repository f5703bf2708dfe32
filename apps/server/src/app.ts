import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import { isValidSessionId } from '@va/protocol';
import { SileroVadModel, defaultSessionConfig, realClock, warmUpAudioPath, VAD_FRAME_SAMPLES, type Logger, type SessionConfig, type SessionDeps } from '@va/pipeline';
import { createEmbedder, createLlm, createStt, createTts, loadProvidersFile } from '@va/providers';
import { createConversationLog } from '@va/db';
import { loadRetriever } from '@va/rag';
import type { AllStandins } from '@va/standins';
import { parseAppConfig, type AppConfig } from './config/app-config.ts';
import { createLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { SessionRegistry } from './sessions.ts';
import { startEmbeddedStandins } from './standins-embedded.ts';
import { healthBody, readyBody, type HealthSources } from './http/health.ts';
import { sendError, sendJson } from './http/respond.ts';
import { createStaticHandler } from './http/static-files.ts';
import { handleTextChat } from './http/text-chat.ts';
import { originAllowed } from './ws/auth.ts';
import { Connection } from './ws/connection.ts';

export interface App {
  config: AppConfig;
  server: Server;
  url: string;
  metrics: Metrics;
  sessions: SessionRegistry;
  standins: AllStandins | null;
  logger: Logger;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  env: Record<string, string>;
  cwd: string;
  logger?: Logger;
  /** Overrides of the voice-loop tuning (tests, benchmark). */
  session?: Partial<SessionConfig>;
}

/** Composition root: config -> stand-ins (embedded default) -> providers -> pipeline -> HTTP + WebSocket. */
export async function createApp(opts: CreateAppOptions): Promise<App> {
  const config = parseAppConfig(opts.env);
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    let env = opts.env;
    let standins: AllStandins | null = null;
    if (config.STANDINS === 'embedded') {
      ({ standins, env } = await startEmbeddedStandins(config, env));
      cleanups.push(() => standins?.close());
      logger.info({ llm: env.LLM_BASE_URL, stt: env.STT_BASE_URL, tts: env.TTS_BASE_URL, embedding: env.EMBEDDING_BASE_URL }, 'embedded stand-in model servers started');
    }
    const isMock = config.STANDINS === 'embedded' || /^(1|true|yes)$/i.test(env.MOCK_PROVIDERS ?? '');
    const providersPath = resolve(opts.cwd, config.PROVIDERS_CONFIG);
    const pc = loadProvidersFile(providersPath, env);
    const deps = { logger };
    const llm = createLlm(pc.llm, deps);
    const stt = createStt(pc.stt, deps);
    const tts = createTts(pc.tts, deps);
    const embedder = createEmbedder(pc.embedding, deps);
    const dataDir = resolve(opts.cwd, config.DATA_DIR);
    const vadModel = await SileroVadModel.load();
    cleanups.push(() => vadModel.release());
    // one-time costs (WASM, filter tables, JIT) now rather than in the first answer
    const warmVad = vadModel.createStream();
    for (let i = 0; i < 3; i++) await warmVad.process(new Float32Array(VAD_FRAME_SAMPLES));
    logger.debug({ ms: Math.round(warmUpAudioPath()) }, 'audio path warmed up');
    const retriever = await loadRetriever({ dataDir, embedder, logger });
    // Pick up a fresh `npm run ingest` without a restart (reads one small pointer file).
    const reloadTimer = setInterval(() => {
      retriever.reload().catch((error: unknown) => logger.warn({ err: { message: (error as Error).message } }, 'index reload failed'));
    }, 3000);
    reloadTimer.unref();
    cleanups.push(() => clearInterval(reloadTimer));
    const log = await createConversationLog({ databaseUrl: config.DATABASE_URL || undefined, dataDir, logger });
    cleanups.push(() => log.close());
    const metrics = new Metrics();
    const sessionConfig: SessionConfig = {
      ...defaultSessionConfig,
      partialIntervalMs: config.PARTIAL_INTERVAL_MS,
      idleTimeoutMs: config.IDLE_TIMEOUT_MS,
      endpointer: { ...defaultSessionConfig.endpointer, redemptionMs: config.ENDPOINT_SILENCE_MS },
      language: String((pc.stt.options as Record<string, unknown> | undefined)?.language ?? 'en').replace('auto', 'en'),
      ...opts.session,
    };
    // Keep-alive connections to the servers an answer needs, opened while the user is still
    // speaking (a server drops idle ones after ~5 s; a new TLS connection to a remote NIM costs
    // a few round trips). At most one round of probes per 2 s, whatever the number of sessions.
    let lastPrewarm = Number.NEGATIVE_INFINITY;
    const prewarm = (): void => {
      const now = performance.now();
      if (now - lastPrewarm < 2000) return;
      lastPrewarm = now;
      for (const p of [embedder, llm, tts]) void p.health(AbortSignal.timeout(2000)).catch(() => undefined);
    };
    const makeDeps = (sessionId: string): SessionDeps => ({
      sessionId,
      clock: realClock,
      logger: logger.child({ session_id: sessionId }),
      stt,
      llm,
      tts,
      retriever,
      log,
      metrics,
      createVad: () => vadModel.createStream(),
      prewarm,
      config: sessionConfig,
    });
    const sessions = new SessionRegistry(makeDeps, logger, { resumeGraceMs: 120_000, maxSessions: 64 });
    cleanups.push(() => sessions.closeAll());

    const startedAt = Date.now();
    const healthSources: HealthSources = {
      isMock,
      fallbackCount: () => metrics.totalFallbacks,
      providers: [llm, stt, tts, embedder],
      database: log,
      get index() {
        return { loaded: retriever.loaded, size: retriever.size };
      },
      startedAt,
      sessions: () => sessions.connected,
    };
    const serveStatic = createStaticHandler(resolve(opts.cwd, config.WEB_DIST), () => ({ token: config.APP_TOKEN, language: null }));

    const server = createServer((req, res) => {
      const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
      res.setHeader('X-Request-Id', requestId);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const reqLog = logger.child({ request_id: requestId });
      const route = `${req.method} ${url.pathname}`;
      const run = async () => {
        if (route === 'GET /health') return sendJson(res, 200, healthBody(healthSources));
        if (route === 'GET /ready') {
          const r = await readyBody(healthSources);
          return sendJson(res, r.status, r.body);
        }
        if (route === 'GET /metrics') {
          metrics.activeSessions = sessions.connected;
          res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
          return res.end(metrics.render());
        }
        if (route === 'POST /api/v1/text-chat') return handleTextChat(req, res, config.APP_TOKEN, sessions);
        if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws/')) return sendError(res, 'not_found', `No route ${route}.`);
        if (serveStatic(req, res, url.pathname)) return;
        sendError(res, 'not_found', `No route ${route}.`);
      };
      run().catch((error: unknown) => {
        reqLog.error({ err: { name: (error as Error).name, message: (error as Error).message }, route }, 'request failed');
        if (!res.headersSent) sendError(res, 'internal_error', 'Unexpected server error.');
        else res.end();
      });
    });

    const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const m = /^\/ws\/session\/([^/]+)$/.exec(url.pathname);
      const reject = (status: number, text: string) => {
        socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      };
      if (!m) return reject(404, 'Not Found');
      const sessionId = decodeURIComponent(m[1]!);
      if (!isValidSessionId(sessionId)) return reject(400, 'Bad Request');
      if (!originAllowed(req, config.ALLOWED_ORIGINS)) {
        logger.warn({ origin: req.headers.origin ?? null }, 'websocket origin refused');
        return reject(403, 'Forbidden');
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const connLog = logger.child({ session_id: sessionId, connection_id: randomUUID().slice(0, 8) });
        new Connection(ws, {
          sessionId,
          appToken: config.APP_TOKEN,
          isMock: () => isMock,
          idleTimeoutMs: sessionConfig.idleTimeoutMs,
          logger: connLog,
          claimSession: (id, c) => sessions.claim(id, c),
          releaseSession: (id, c) => sessions.release(id, c),
          onAudioDropped: () => (metrics.droppedAudioFrames += 1),
        });
      });
    });
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          wss.close(() => r());
        }),
    );

    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolvePromise());
    });
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    logger.info({ url, is_mock: isMock, db: log.backend, index_loaded: retriever.loaded }, 'app listening');
    return {
      config,
      server,
      url,
      metrics,
      sessions,
      standins,
      logger,
      close: async () => {
        for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
        cleanups.length = 0;
      },
    };
  } catch (error) {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    throw error;
  }
}
