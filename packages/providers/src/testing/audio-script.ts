import { decodeWav16 } from '../http/wav.ts';
import { parseForm, sendJson, startScriptedServer, writeInPieces } from './scripted-server.ts';
import type { ScriptedServer } from './scripted-server.ts';

/** Test fixture reproducing speaches / Kokoro-FastAPI `/v1/audio/*`. */
export interface AudioScriptServer extends ScriptedServer {
  transcript: string;
  /** Rate of the `pcm` the speech route emits. */
  pcmSampleRate: number;
  /** Byte sizes of the writes of a speech body (odd sizes split samples). */
  writeSizes: number[];
  apiKey: string | null;
  lastUpload: { contentType: string; filename: string; samples: number; fields: Record<string, string> } | null;
}

/** A deterministic ramp of samples, so tests can check the reassembled PCM exactly. */
export function rampPcm(n: number): Int16Array {
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = ((i * 97) % 65536) - 32768;
  return pcm;
}

export async function startAudioScript(): Promise<AudioScriptServer> {
  const self = {} as AudioScriptServer;
  const server = await startScriptedServer({
    isWork: (m, p) => m === 'POST' && p.startsWith('/v1/audio/'),
    errorResponse: (res, status) => sendJson(res, status, { detail: `scripted ${status}` }),
    async handle(req, res, signal) {
      if (req.path === '/health') return sendJson(res, 200, { message: 'OK' });
      if (self.apiKey !== null && req.headers.authorization !== `Bearer ${self.apiKey}`) {
        return sendJson(res, 403, { detail: 'Invalid API key' });
      }
      if (req.path === '/v1/audio/transcriptions') {
        const form = await parseForm(req);
        const file = form.get('file');
        const fields: Record<string, string> = {};
        for (const [k, v] of form.entries()) if (typeof v === 'string') fields[k] = v;
        if (!(file instanceof File) || !fields.model) {
          return sendJson(res, 422, { detail: [{ type: 'missing', loc: ['body', file ? 'model' : 'file'], msg: 'Field required' }] });
        }
        const bytes = new Uint8Array(await file.arrayBuffer());
        let samples: number;
        if (file.type === 'audio/pcm' || file.type === 'audio/raw') samples = bytes.byteLength / 2;
        else {
          try {
            samples = decodeWav16(bytes).pcm.length;
          } catch {
            return sendJson(res, 415, { detail: 'Unsupported audio' });
          }
        }
        self.lastUpload = { contentType: file.type, filename: file.name, samples, fields };
        return sendJson(res, 200, { text: self.transcript });
      }
      if (req.path === '/v1/audio/speech') {
        const body = JSON.parse(req.body.toString()) as { input?: string; response_format?: string };
        if (!body.input) return sendJson(res, 422, [{ loc: ['body', 'input'], msg: 'Field required', type: 'missing' }]);
        const pcm = rampPcm(Math.round(self.pcmSampleRate * 0.2));
        const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
        res.writeHead(200, { 'content-type': 'audio/pcm', 'x-accel-buffering': 'no' });
        await writeInPieces(res, bytes, self.writeSizes, signal);
        return void res.end();
      }
      return sendJson(res, 404, { detail: 'Not Found' });
    },
  });
  return Object.assign(self, server, { transcript: 'Turn left at the second light.', pcmSampleRate: 24000, writeSizes: [1, 3, 2, 1001], apiKey: null, lastUpload: null });
}
