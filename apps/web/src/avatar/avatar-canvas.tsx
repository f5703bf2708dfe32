import { useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { VRMUtils, type VRM } from '@pixiv/three-vrm';
import { Vector3, type PerspectiveCamera } from 'three';
import { avatarDebug } from './avatar-debug.ts';
import { createAvatarDriver } from './avatar-driver.ts';
import { createExpressionState, setExpression, setLook, startGesture, type ExpressionState } from './expression-state.ts';
import { loadVrm } from './load-vrm.ts';

export { AvatarFilePicker, checkAvatarFile, type AvatarFilePickerProps } from './avatar-file-picker.tsx';

/** Applies server `avatar_event`s. Safe to call before the model has loaded. */
export interface AvatarController {
  setExpression(name: string, weight: number, durationMs: number | null): void;
  lookAt(target: 'user' | 'away'): void;
  gesture(name: string): void;
}

export interface AvatarCanvasProps {
  modelUrl: string;
  analyser: AnalyserNode | null;
  className?: string;
  onLoadError?: (e: Error) => void;
  labels?: { loading?: string; error?: string };
  ref?: Ref<AvatarController>;
}

type Status = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

const nowS = (): number => performance.now() / 1000;

export function AvatarCanvas({ modelUrl, analyser, className, onLoadError, labels, ref }: AvatarCanvasProps) {
  const [vrm, setVrm] = useState<VRM | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const exprRef = useRef<ExpressionState>(createExpressionState());
  const analyserRef = useRef(analyser);
  analyserRef.current = analyser;
  const onErrorRef = useRef(onLoadError);
  onErrorRef.current = onLoadError;

  useImperativeHandle(
    ref,
    () => ({
      setExpression: (name, weight, durationMs) => {
        exprRef.current = setExpression(exprRef.current, name, weight, durationMs, exprClock());
      },
      lookAt: (target) => {
        exprRef.current = setLook(exprRef.current, target);
      },
      gesture: (name) => {
        exprRef.current = startGesture(exprRef.current, name, exprClock());
      },
    }),
    [],
  );

  useEffect(() => {
    const debug = avatarDebug();
    debug.loaded = false;
    debug.error = null;
    setStatus({ kind: 'loading' });
    const abort = new AbortController();
    let loaded: VRM | null = null;
    loadVrm(modelUrl, abort.signal).then(
      (v) => {
        loaded = v;
        setVrm(v);
        setStatus({ kind: 'ready' });
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        const err = e instanceof Error ? e : new Error(String(e));
        debug.error = err.message;
        setStatus({ kind: 'error', message: err.message });
        onErrorRef.current?.(err);
      },
    );
    return () => {
      abort.abort();
      setVrm(null);
      avatarDebug().loaded = false;
      if (loaded) VRMUtils.deepDispose(loaded.scene);
    };
  }, [modelUrl]);

  return (
    <div className={className} data-testid="avatar-canvas" data-status={status.kind}>
      <div style={{ position: 'relative', width: '100%', height: '100%' }}>
        <Canvas
          camera={{ fov: 24, near: 0.05, far: 20, position: [0, 1.45, 1.2] }}
          gl={{ antialias: true, alpha: true, preserveDrawingBuffer: true }}
          dpr={[1, 2]}
          style={{ position: 'absolute', inset: 0 }}
        >
          <ambientLight intensity={1.1} />
          <directionalLight position={[0.6, 1.8, 2.2]} intensity={2.2} />
          <directionalLight position={[-1.5, 0.8, -1]} intensity={0.6} />
          {vrm && <AvatarModel vrm={vrm} analyserRef={analyserRef} exprRef={exprRef} />}
        </Canvas>
        {status.kind !== 'ready' && (
          <div
            role={status.kind === 'error' ? 'alert' : 'status'}
            style={{
              position: 'absolute',
              inset: 0,
              display: 'grid',
              placeItems: 'center',
              pointerEvents: 'none',
              fontSize: 14,
              opacity: 0.8,
            }}
          >
            {status.kind === 'loading'
              ? (labels?.loading ?? 'Loading avatar…')
              : (labels?.error ?? 'The avatar model could not be loaded.')}
          </div>
        )}
      </div>
    </div>
  );
}

/** Page-clock seconds shared by the controller and the frame loop's expression timing. */
function exprClock(): number {
  return nowS();
}

interface ModelProps {
  vrm: VRM;
  analyserRef: { current: AnalyserNode | null };
  exprRef: { current: ExpressionState };
}

function AvatarModel({ vrm, analyserRef, exprRef }: ModelProps) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const size = useThree((s) => s.size);
  const driver = useMemo(
    () => createAvatarDriver(vrm, () => exprRef.current, avatarDebug(), Math.random, exprClock),
    [vrm, exprRef],
  );

  useEffect(() => {
    avatarDebug().loaded = true;
    return () => {
      avatarDebug().loaded = false;
    };
  }, [vrm, exprRef]);

  // frame head and shoulders, whatever the model's height
  useEffect(() => {
    vrm.scene.updateMatrixWorld(true);
    const head = vrm.humanoid.getNormalizedBoneNode('head');
    const headPos = head ? head.getWorldPosition(new Vector3()) : new Vector3(0, 1.4, 0);
    // aim a little above the head bone (eye level) and fit ~0.55 m vertically (head + shoulders)
    const target = new Vector3(0, headPos.y + 0.035, headPos.z);
    const aspect = size.width / Math.max(1, size.height);
    const fovRad = ((camera.fov ?? 24) * Math.PI) / 180;
    const dist = (0.27 / Math.tan(fovRad / 2)) * Math.max(1, 0.8 / aspect);
    camera.position.set(0, target.y + 0.03, target.z + dist);
    camera.lookAt(target);
    camera.updateProjectionMatrix();
  }, [vrm, camera, size.width, size.height]);

  useFrame((state, delta) => {
    driver.update(delta, analyserRef.current, state.camera);
  });

  return <primitive object={vrm.scene} />;
}
