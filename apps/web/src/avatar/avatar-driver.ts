/**
 * The avatar's single per-frame update, in a fixed order:
 *   1. read the analyser  2. lip-sync weights (smoothed)  3. expressions + blink
 *   4. idle motion on the normalized humanoid bones  5. vrm.update(delta)
 * Everything lives in this closure; nothing here touches React state.
 */
import type { Camera } from 'three';
import type { VRM, VRMHumanBoneName } from '@pixiv/three-vrm';
import { blinkWeight, initialBlinkState, stepBlink } from './blink.ts';
import type { AvatarDebug } from './avatar-debug.ts';
import { activeExpression, currentWeights, nodPitch, type ExpressionState } from './expression-state.ts';
import { idleMotion, type Euler, type IdlePose } from './idle-motion.ts';
import {
  computeVowelWeights,
  createSpeakerWarp,
  LIP_SYNC_SMOOTHING,
  mouthOpenness,
  smoothWeights,
  VOWELS,
  ZERO_WEIGHTS,
  type VowelWeights,
} from './lip-sync.ts';

export interface AvatarDriver {
  update(delta: number, analyser: AnalyserNode | null, camera: Camera): void;
}

const POSE_BONES: Array<[VRMHumanBoneName, keyof IdlePose]> = [
  ['spine', 'spine'],
  ['chest', 'chest'],
  ['neck', 'neck'],
  ['head', 'head'],
  ['leftUpperArm', 'leftUpperArm'],
  ['rightUpperArm', 'rightUpperArm'],
  ['leftLowerArm', 'leftLowerArm'],
  ['rightLowerArm', 'rightLowerArm'],
];

export function createAvatarDriver(
  vrm: VRM,
  getState: () => ExpressionState,
  debug: AvatarDebug,
  random: () => number = Math.random,
  /** clock (s) that expression start/end times are measured on */
  now: () => number = () => performance.now() / 1000,
): AvatarDriver {
  let freq: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  let time: Float32Array<ArrayBuffer> = new Float32Array(0);
  let weights: VowelWeights = { ...ZERO_WEIGHTS };
  // the avatar's voice: its formant scale is learnt while it speaks and kept
  const speaker = createSpeakerWarp();
  let blink = initialBlinkState(random);
  let clock = 0;
  let lookAway = 0;
  let fps = 60;
  let lastSum = NaN;
  let stale = 0;
  const em = vrm.expressionManager;
  const emotionNames = new Set<string>();
  const bones = POSE_BONES.map(([bone, key]) => [vrm.humanoid.getNormalizedBoneNode(bone), key] as const);

  return {
    update(delta, analyser, camera) {
      const dt = Number.isFinite(delta) ? Math.min(0.1, Math.max(0, delta)) : 0;
      clock += dt;

      // 1-2. analyser -> vowel weights -> smoothing
      let target: VowelWeights = ZERO_WEIGHTS;
      if (analyser) {
        if (freq.length !== analyser.frequencyBinCount) freq = new Uint8Array(analyser.frequencyBinCount);
        if (time.length !== analyser.fftSize) time = new Float32Array(analyser.fftSize);
        analyser.getByteFrequencyData(freq);
        analyser.getFloatTimeDomainData(time);
        // An analyser whose input went idle keeps returning its last buffer: treat frozen data as silence.
        let sum = 0;
        for (let i = 0; i < time.length; i += 7) sum += (time[i] ?? 0) * (i + 1);
        stale = sum === lastSum ? stale + 1 : 0;
        lastSum = sum;
        if (stale < 2) target = computeVowelWeights({
          freqData: freq,
          timeData: time,
          sampleRate: analyser.context.sampleRate,
          fftSize: analyser.fftSize,
        }, {}, speaker);
      }
      weights = smoothWeights(weights, target, dt, LIP_SYNC_SMOOTHING);

      // 3. expressions + blink
      const state = getState();
      const emotions = currentWeights(state, now());
      blink = stepBlink(blink, dt, random);
      if (em) {
        for (const v of VOWELS) em.setValue(v, weights[v]);
        for (const name of emotionNames) if (!(name in emotions)) em.setValue(name, 0);
        for (const [name, w] of Object.entries(emotions)) {
          if (em.getExpression(name)) {
            em.setValue(name, w);
            emotionNames.add(name);
          }
        }
        em.setValue('blink', blinkWeight(blink));
      }

      // 4. idle motion + gaze
      lookAway += (state.lookAwayTarget - lookAway) * (1 - Math.exp(-dt * 4));
      const pose = idleMotion(clock, { lookAway, speaking: Math.min(1, mouthOpenness(weights) * 2) });
      const nod = nodPitch(state, now());
      for (const [node, key] of bones) {
        const e = pose[key] as Euler;
        node?.rotation.set(e.x + (key === 'head' ? nod : 0), e.y, e.z);
      }
      debug.nod = nod;
      if (vrm.lookAt) {
        vrm.lookAt.target = state.lookAwayTarget < 0.5 ? camera : null;
        if (state.lookAwayTarget >= 0.5) {
          vrm.lookAt.yaw = 18;
          vrm.lookAt.pitch = -6;
        }
      }

      // 5. let three-vrm apply expressions, look-at, constraints and spring bones
      vrm.update(dt);

      if (dt > 0) fps += (1 / dt - fps) * 0.05;
      debug.mouth.aa = weights.aa;
      debug.mouth.ih = weights.ih;
      debug.mouth.ou = weights.ou;
      debug.mouth.ee = weights.ee;
      debug.mouth.oh = weights.oh;
      debug.mouthOpen = mouthOpenness(weights);
      debug.fps = Math.round(fps * 10) / 10;
      debug.expression = activeExpression(state, now());
    },
  };
}
