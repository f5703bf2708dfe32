import { createOpusEncoder, defaultSessionConfig, float32ToPcm16, VoiceSession, type SessionConfig, type SileroVadModel, type SttProvider } from '@va/pipeline';
import type { ServerMessage } from '@va/protocol';
import { FakeClock } from '@va/testkit';
import { librivox, speech, type Clip } from './clips.ts';
import { labelStt, type Said } from './label-stt.ts';
import { MicTrack } from './mic-track.ts';
import { endPitch } from './pitch.ts';
import { RealWork, scriptedLlm, synthTts, timedStt } from './providers.ts';
import { UTTERANCE_KINDS, type Scenario } from './scenarios.ts';
import { Speaker } from './speaker.ts';

export interface ScenarioOutcome {
  scenario: Scenario;
  /** Times on the microphone's timeline (ms from the first packet). */
  userSpeechEndMs: number;
  duringSpeechStartMs: number | null;
  events: Array<{ at: number; m: ServerMessage }>;
  sttSource: 'labels' | 'pocketsphinx';
  /** Every STT request the session made: when, the audio it covered (ms) and the text it got back. */
  sttRequests: Array<{ at: number; audioMs: number; text: string | null }>;
  /** The session's own log lines about speech during the answer (--verbose). */
  judged: Array<{ at: number; msg: string; fields: Record<string, unknown> }>;
  /** Intonation at the end of the user's speech before the first pause (or the end): pause and complete scenarios. */
  pitch: string | null;
}

export interface RunEnv {
  vadModel: SileroVadModel;
  /** STT for English: the pocketsphinx stand-in behind the whisper.cpp API, or 'labels' (the known text, as for Japanese). */
  englishStt: SttProvider | 'labels';
  sessionConfig?: Partial<SessionConfig>;
}

const PACKET_MS = 20;
const LEAD_MS = 500;
const TAIL_MS = 2500;
const MAX_MS = 40_000;
/** How long the echo of the avatar's voice is listened to. */
const ECHO_WINDOW_MS = 8000;

/** One scenario through a real VoiceSession (Opus, Silero VAD, endpointing, STT scheduling, turn, pacing) on fake time. */
export async function runScenario(sc: Scenario, env: RunEnv): Promise<ScenarioOutcome> {
  const clock = new FakeClock();
  const work = new RealWork();
  const mic = new MicTrack(sc.id);
  const speaker = new Speaker();
  const said: Said[] = [];
  const events: Array<{ at: number; m: ServerMessage }> = [];
  let captureFromMs = 0;
  const config: SessionConfig = { ...defaultSessionConfig, ...env.sessionConfig, language: sc.lang };
  const englishStt = env.englishStt === 'labels' || sc.lang === 'ja' ? null : env.englishStt;
  const labels = englishStt === null;
  const heard = (): Said[] =>
    sc.echo && labels ? [...said, ...speaker.played().map((p) => ({ text: p.text, startMs: p.startMs + sc.echo!.delayMs, endMs: p.endMs + sc.echo!.delayMs }))] : said;
  const sttRequests: ScenarioOutcome['sttRequests'] = [];
  const stt = counted(timedStt(englishStt ?? labelStt(heard, () => captureFromMs), clock, work), clock, sttRequests);
  const noop = () => undefined;
  const judged: ScenarioOutcome['judged'] = [];
  const info = (fields: unknown, msg?: string) => {
    if (typeof msg === 'string' && /judged|duck/.test(msg)) judged.push({ at: clock.now(), msg, fields: fields as Record<string, unknown> });
  };
  const logger = { debug: noop, info, warn: noop, error: noop, child: () => logger };
  const session = new VoiceSession({
    sessionId: sc.id,
    clock,
    logger,
    stt,
    llm: scriptedLlm(sc.answer, sc.lang, clock),
    tts: synthTts(clock, work),
    retriever: null,
    log: { recordSessionStart: noop, recordTurn: noop, pending: () => 0, health: async () => ({ ok: true, latencyMs: 0 }), close: async () => undefined },
    createVad: () => env.vadModel.createStream(),
    config,
  });
  session.attach({
    sendEvent: (m) => {
      events.push({ at: clock.now(), m });
      if (m.type === 'vad' && m.event === 'speech_start') captureFromMs = Math.max(0, m.audio_ms - (config.endpointer.preRollMs ?? 0));
      if (m.type === 'tts.start') speaker.segmentText(m.segment_id, m.text);
      if (m.type === 'playback.clear') speaker.clear(clock.now());
    },
    sendAudio: (f) => (speaker.receive(f, clock.now()), true),
  });

  const { end: userEnd, first } = await placeUtterance(sc, mic, said);
  const pitch = sc.kind === 'pause' || sc.kind === 'complete' ? endPitch(first) : null;
  let duringStart: number | null = null;
  const encoder = createOpusEncoder({ frameMs: PACKET_MS });
  try {
    let seq = 0;
    for (let now = 0; now < MAX_MS; now += PACKET_MS) {
      if (sc.during && duringStart === null && speaker.firstPlayedMs !== null && now >= speaker.firstPlayedMs + sc.during.afterMs) {
        duringStart = await placeDuring(sc.lang, sc.during, now, mic, said);
      }
      const block = mic.render(now, PACKET_MS);
      if (sc.echo) speaker.mixInto(block, now - sc.echo.delayMs, 10 ** (sc.echo.gainDb / 20));
      // a packet leaves the page once its last sample is captured: it arrives at the end of its audio
      await clock.advance(PACKET_MS);
      await work.drain();
      await session.pushAudio(seq++, encoder.encode(float32ToPcm16(block)));
      await work.drain();
      if (finished(sc, now, userEnd, duringStart, session, speaker)) break;
    }
  } finally {
    session.close();
    encoder.destroy();
    speaker.destroy();
  }
  return { scenario: sc, userSpeechEndMs: userEnd, duringSpeechStartMs: duringStart, events, sttSource: labels ? 'labels' : 'pocketsphinx', sttRequests, judged, pitch };
}

/** Records every STT request (the scheduler's cadence is part of what is measured). */
function counted(inner: SttProvider, clock: FakeClock, log: ScenarioOutcome['sttRequests']): SttProvider {
  return {
    ...inner,
    async transcribe(req) {
      const entry = { at: clock.now(), audioMs: Math.round(req.pcm.length / 16), text: null as string | null };
      log.push(entry);
      const result = await inner.transcribe(req);
      entry.text = result.text;
      return result;
    },
  };
}

/** Places the user's first utterance (its parts and pauses) on the mic track; returns its speech end and its first part. */
async function placeUtterance(sc: Scenario, mic: MicTrack, said: Said[]): Promise<{ end: number; first: Clip }> {
  const clips: Clip[] = sc.librivox !== undefined ? [librivox()[sc.librivox]!] : await Promise.all(sc.parts.map((p) => speech(sc.lang, p)));
  let speechAt = LEAD_MS;
  let end = 0;
  clips.forEach((clip, i) => {
    const offset = speechAt - clip.speechStartMs;
    mic.place(clip, offset);
    said.push({ text: clip.text, startMs: speechAt, endMs: offset + clip.speechEndMs });
    end = offset + clip.speechEndMs;
    speechAt = end + (sc.pausesMs[i] ?? 0);
  });
  return { end, first: clips[0]! };
}

/** What the user says over the avatar, from `at`; returns where the part that matters starts (its `then`, if any). */
async function placeDuring(lang: Scenario['lang'], during: NonNullable<Scenario['during']>, at: number, mic: MicTrack, said: Said[]): Promise<number> {
  const clip = await speech(lang, during.text);
  mic.place(clip, at);
  said.push({ text: clip.text, startMs: at + clip.speechStartMs, endMs: at + clip.speechEndMs });
  if (!during.then) return at + clip.speechStartMs;
  const more = await speech(lang, during.then.text);
  const startMs = at + clip.speechEndMs + during.then.pauseMs;
  mic.place(more, startMs - more.speechStartMs);
  said.push({ text: more.text, startMs, endMs: startMs - more.speechStartMs + more.speechEndMs });
  return startMs;
}

/** Enough has happened to score the scenario. */
function finished(sc: Scenario, now: number, userEnd: number, duringStart: number | null, session: VoiceSession, speaker: Speaker): boolean {
  if (now < userEnd + TAIL_MS) return false;
  if (UTTERANCE_KINDS.includes(sc.kind)) return true;
  if (sc.kind === 'echo') return speaker.firstPlayedMs !== null && (now > speaker.firstPlayedMs + ECHO_WINDOW_MS || (!session.busy && now > speaker.playingUntilMs));
  return duringStart !== null && now > duringStart + TAIL_MS;
}
