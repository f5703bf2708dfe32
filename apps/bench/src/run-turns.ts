import { goForward, librivoxClips, padSilence, speechEndMs, type SpeechClip, type VoiceClient } from '@va/testkit';
import { wordErrorRate } from '@va/pipeline';
import { PARTIAL_SILENCE_MS } from '@va/pipeline';
import { idealEndOfTurnMs, idealFinalMs, idealTtsStartMs, type BenchLatencies, type TurnShape } from './latencies.ts';

export interface TurnFigures {
  clip: string;
  partialMs: number[];
  finalMs: number;
  ttsStartMs: number;
  idealTtsStartMs: number;
  overheadMs: number;
  wer: number;
  /** VAD's speech end minus the energy-based end of speech (ms) */
  vadEndOffsetMs: number;
  serverEndToEndMs: number | null;
  /** The server's own per-stage figures for the turn (turn.metrics). */
  stages: Record<string, number | null>;
  /** Retrieval was done before the final transcript (off the critical path). */
  retrievalEarly: boolean;
  /** The final was transcribed during the end-of-turn silence. */
  transcriptEarly: boolean;
  idealFinalMs: number;
  /** The answer was started during the end-of-turn silence (from the settled partial or the early final). */
  preemptive: 'partial' | 'final' | null;
  /** LLM / TTS calls of preemptive answers discarded in this turn. */
  wastedLlmCalls: number;
  wastedTtsCalls: number;
}

const MIC_PACKET_MS = 20;

/**
 * One spoken turn at real-time pace: speech, then silence until the answer is done. Times are
 * measured in this client: a partial's latency runs from sending the last mic packet it covers;
 * final and tts.start run from sending the packet that holds the audio where the VAD put the end
 * of speech.
 */
export async function runTurn(client: VoiceClient, clip: SpeechClip, l: BenchLatencies, retrieval: boolean): Promise<TurnFigures> {
  const startSeq = client.nextSeq;
  const since = performance.now();
  // One continuous stream, speech then silence, like a live microphone: a second stream started
  // after the speech would leave a gap (its set-up time) right where the end of turn is measured.
  const pcm = padSilence(clip.pcm, 400, 30_000);
  const stop = new AbortController();
  const streaming = client.streamSpeech(pcm, { signal: stop.signal });
  try {
    const vadEnd = await client.waitFor('vad', 15_000, (m) => m.event === 'speech_end', since);
    const final = await client.waitFor('transcript.final', 20_000, () => true, since);
    const ttsStart = await client.waitFor('tts.start', 30_000, () => true, since);
    const done = await client.waitFor('assistant.done', 60_000, () => true, since);
    const metrics = await client.waitFor('turn.metrics', 5_000, () => true, since);
    await client.waitFor('state', 60_000, (m) => m.state === 'idle' || m.state === 'listening', done.at);

    const endSeq = Math.floor(vadEnd.message.audio_ms / MIC_PACKET_MS);
    const speechEndAt = client.sentAt.get(endSeq);
    if (speechEndAt === undefined) throw new Error(`no send time for mic packet ${endSeq}`);
    const partialMs = client
      .eventsOf('transcript.partial', since)
      .filter((e) => e.message.turn_id === final.message.turn_id)
      .map((e) => e.at - (client.sentAt.get(e.message.covers_seq) ?? Number.NaN))
      .filter((v) => Number.isFinite(v));

    // How many LLM tokens (deltas) it took to complete the first spoken segment.
    const firstText = ttsStart.message.text.replace(/\s+/g, '');
    let acc = '';
    let tokens = 0;
    for (const d of client.eventsOf('assistant.delta', since).filter((e) => e.message.turn_id === ttsStart.message.turn_id)) {
      tokens++;
      acc += d.message.text.replace(/\s+/g, '');
      if (acc.replace(/[[\]*#`]/g, '').includes(firstText.replace(/[[\]*#`]/g, '')) || acc.length >= firstText.length + 40) break;
    }
    // When the documents were looked up from the settled partial during the end-of-turn silence,
    // the best pipeline has no retrieval on its critical path either.
    const retrievalEarly = metrics.message.retrieval_early === true;
    // Likewise a final transcribed once its audio was complete (after PARTIAL_SILENCE_MS of silence).
    const transcriptEarly = metrics.message.transcript_early === true;
    // A preemptive answer starts once the partial has settled: after PARTIAL_SILENCE_MS of silence,
    // or when a partial still being transcribed then came back (as received here).
    const preemptive = metrics.message.preemptive ?? null;
    const partialsAfterEnd = client
      .eventsOf('transcript.partial', since)
      .filter((e) => e.message.turn_id === final.message.turn_id && e.at <= final.at)
      .map((e) => e.at - speechEndAt);
    const settledMs = Math.max(PARTIAL_SILENCE_MS, ...partialsAfterEnd);
    // The end of turn depends on the words (turn-end.ts): the ideal waits what the policy asks for
    // these words, not what the server waited (its detection delay is ours).
    const endpointMs = idealEndOfTurnMs(l, final.message.text, settledMs);
    const shape: TurnShape = { retrieval, retrievalEarly, transcriptEarly, finalAudioReadyMs: Math.max(PARTIAL_SILENCE_MS, settledMs), preemptive, settledMs, endpointMs };
    const ideal = idealTtsStartMs(l, tokens, ttsStart.message.text.length, shape);
    const ttsStartMs = ttsStart.at - speechEndAt;
    const trueEnd = (startSeq * MIC_PACKET_MS) + 400 + speechEndMs(clip.pcm);
    void done;
    return {
      clip: clip.name,
      partialMs,
      finalMs: final.at - speechEndAt,
      idealFinalMs: idealFinalMs(l, shape),
      transcriptEarly,
      ttsStartMs,
      idealTtsStartMs: ideal,
      overheadMs: ttsStartMs - ideal,
      wer: wordErrorRate(clip.transcript, final.message.text),
      vadEndOffsetMs: vadEnd.message.audio_ms - trueEnd,
      serverEndToEndMs: metrics.message.stages.end_to_end_ms,
      stages: metrics.message.stages,
      retrievalEarly,
      preemptive,
      wastedLlmCalls: metrics.message.wasted_llm_calls ?? 0,
      wastedTtsCalls: metrics.message.wasted_tts_calls ?? 0,
    };
  } finally {
    stop.abort();
    await streaming;
  }
}

export function benchClips(): SpeechClip[] {
  return [goForward(), ...librivoxClips()];
}
