import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { VRMLoaderPlugin, VRMUtils, type VRM } from '@pixiv/three-vrm';

/** Loads a .vrm (0.x or 1.0) and prepares it for rendering; rejects with a readable Error. */
export async function loadVrm(url: string, signal?: AbortSignal): Promise<VRM> {
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  let gltf;
  try {
    gltf = await loader.loadAsync(url);
  } catch (e) {
    throw new Error(`could not load avatar model: ${e instanceof Error ? e.message : String(e)}`);
  }
  const vrm = gltf.userData['vrm'] as VRM | undefined;
  if (!vrm) throw new Error('the file is a glTF model without VRM data');
  if (signal?.aborted) {
    VRMUtils.deepDispose(vrm.scene);
    throw new Error('aborted');
  }
  VRMUtils.removeUnnecessaryVertices(gltf.scene);
  VRMUtils.combineSkeletons(gltf.scene);
  VRMUtils.rotateVRM0(vrm); // VRM 0.x faces -Z; turn it to face the camera like 1.0
  vrm.scene.traverse((o) => {
    o.frustumCulled = false;
  });
  return vrm;
}
