import { useCallback, useRef, useState, type Dispatch, type RefObject } from 'react';
import type { ClientMessage } from '@va/protocol';
import { Microphone, classifyMicError, type MicErrorKind } from '../audio-in/microphone.ts';
import type { TransportIn } from '../connection/transport-worker.ts';
import { getAudioContext } from '../lib/audio-context.ts';
import type { ConversationAction } from './conversation-state.ts';

export type MicStatus = 'off' | 'starting' | 'on';

/**
 * The microphone: started on the user's gesture, its packets going from the capture Worker
 * straight to the transport Worker; stopping it tells the server the audio ended.
 */
export function useMicrophone(transportRef: RefObject<Worker | null>, micRef: RefObject<Microphone | null>, send: (msg: ClientMessage) => boolean, dispatch: Dispatch<ConversationAction>) {
  const [mic, setMic] = useState<MicStatus>('off');
  const [micError, setMicError] = useState<MicErrorKind | null>(null);
  const levelRef = useRef(0);

  const startMic = useCallback(async () => {
    if (micRef.current?.running) return;
    setMicError(null);
    setMic('starting');
    const ctx = getAudioContext();
    const params = new URLSearchParams(location.search);
    // Packets go from the capture Worker straight to the transport Worker.
    const packets = new MessageChannel();
    transportRef.current?.postMessage({ type: 'mic-port', port: packets.port1 } satisfies TransportIn, [packets.port1]);
    const m = new Microphone({
      context: ctx,
      encoder: params.get('encoder') === 'wasm' ? 'wasm' : 'webcodecs',
      packetPort: packets.port2,
      onLevel: (peak) => {
        levelRef.current = Math.max(peak, levelRef.current * 0.85);
      },
      onError: (e) => {
        console.error('[mic]', e);
        setMicError(classifyMicError(e).kind);
      },
    });
    micRef.current = m;
    try {
      await ctx.resume().catch(() => undefined);
      await m.start();
      setMic('on');
    } catch (e) {
      micRef.current = null;
      setMic('off');
      setMicError(classifyMicError(e).kind);
    }
  }, []);

  const stopMic = useCallback(() => {
    micRef.current?.stop();
    micRef.current = null;
    levelRef.current = 0;
    setMic('off');
    if (send({ type: 'audio.end' })) dispatch({ type: 'audio.end', now: performance.now() });
  }, [send]);

  return { mic, micError, levelRef, startMic, stopMic };
}
