/** Standalone preview of the avatar with a generated speech-like signal (avatar-preview.html). */
import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AvatarCanvas, AvatarFilePicker, type AvatarController } from './avatar-canvas.tsx';
import { startSpeechSignal, type SpeechSignal } from './preview-signal.ts';

declare global {
  interface Window {
    __preview?: { speak(): Promise<void>; stop(): void; controller(): AvatarController | null };
  }
}

const EXPRESSIONS = ['happy', 'sad', 'angry', 'surprised', 'relaxed', 'neutral'];
const button = {
  padding: '6px 10px',
  borderRadius: 8,
  border: '1px solid #99a',
  background: 'white',
  cursor: 'pointer',
} as const;

function Preview() {
  const [modelUrl, setModelUrl] = useState('/avatar/default.vrm');
  const [analyser, setAnalyser] = useState<AnalyserNode | null>(null);
  const [speaking, setSpeaking] = useState(false);
  const ctxRef = useRef<AudioContext | null>(null);
  const signalRef = useRef<SpeechSignal | null>(null);
  const controller = useRef<AvatarController>(null);

  const ensureAudio = async (): Promise<{ ctx: AudioContext; an: AnalyserNode }> => {
    let ctx = ctxRef.current;
    if (!ctx) {
      ctx = new AudioContext();
      ctxRef.current = ctx;
      const an = ctx.createAnalyser();
      an.fftSize = 2048;
      an.smoothingTimeConstant = 0.5;
      const mute = ctx.createGain();
      mute.gain.value = 0.15;
      an.connect(mute).connect(ctx.destination);
      setAnalyser(an);
      (ctx as AudioContext & { __an?: AnalyserNode }).__an = an;
    }
    if (ctx.state !== 'running') await ctx.resume();
    const an = (ctx as AudioContext & { __an?: AnalyserNode }).__an;
    if (!an) throw new Error('no analyser');
    return { ctx, an };
  };

  const speak = async (): Promise<void> => {
    const { ctx, an } = await ensureAudio();
    signalRef.current?.stop();
    const sig = startSpeechSignal(ctx);
    sig.output.connect(an);
    signalRef.current = sig;
    setSpeaking(true);
  };
  const stop = (): void => {
    signalRef.current?.stop();
    signalRef.current = null;
    setSpeaking(false);
  };
  window.__preview = { speak, stop, controller: () => controller.current };

  return (
    <div style={{ position: 'fixed', inset: 0, display: 'flex', flexDirection: 'column' }}>
      <div style={{ position: 'relative', flex: 1, minHeight: 0 }}>
        <AvatarFilePicker onModelUrl={setModelUrl} className="stage">
          <AvatarCanvas
            modelUrl={modelUrl}
            analyser={analyser}
            ref={controller}
            className="avatar"
            onLoadError={(e) => console.error(e)}
          />
        </AvatarFilePicker>
      </div>
      <div style={{ display: 'flex', gap: 8, padding: 12, flexWrap: 'wrap', justifyContent: 'center' }}>
        <button style={button} onClick={() => void (speaking ? stop() : speak())} data-testid="speak">
          {speaking ? 'Stop signal' : 'Play speech-like signal'}
        </button>
        {EXPRESSIONS.map((name) => (
          <button key={name} style={button} onClick={() => controller.current?.setExpression(name, 1, 2500)}>
            {name}
          </button>
        ))}
        <button style={button} onClick={() => controller.current?.lookAt('away')}>
          look away
        </button>
        <button style={button} onClick={() => controller.current?.lookAt('user')}>
          look at me
        </button>
      </div>
    </div>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Preview />
    </StrictMode>,
  );
}
