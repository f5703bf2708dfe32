import { SileroVadModel, VAD_FRAME_SAMPLES, warmUpAudioPath, type Logger } from '@va/pipeline';

/** Loads the VAD and pays the one-time costs (WASM, filter tables, JIT) now rather than in the first answer. */
export async function loadWarmVad(logger: Logger): Promise<SileroVadModel> {
  const model = await SileroVadModel.load();
  const warm = model.createStream();
  for (let i = 0; i < 3; i++) await warm.process(new Float32Array(VAD_FRAME_SAMPLES));
  logger.debug({ ms: Math.round(warmUpAudioPath()) }, 'audio path warmed up');
  return model;
}
