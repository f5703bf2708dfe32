import type { ServerResponse } from 'node:http';
import { decodeWav16 } from '../http/wav.ts';
import { parseForm, sendJson, sendText, startScriptedServer } from './scripted-server.ts';
import type { ScriptedServer } from './scripted-server.ts';

/** Test fixture reproducing whisper.cpp `whisper-server` (post-1.8.4 error hook, optional old-build mode). */
export interface WhisperScriptServer extends ScriptedServer {
  transcript: string;
  /** Pre-1.8.4: input errors come back as HTTP 200 + `{"error": ...}`. */
  oldBuildError: string | null;
  /** `/health` status; 404 reproduces a `/load` in progress. */
  healthStatus: number;
  /** Last decoded upload. */
  lastUpload: { sampleRate: number; samples: number; fields: Record<string, string> } | null;
}

export async function startWhisperScript(opts: { inferencePath?: string } = {}): Promise<WhisperScriptServer> {
  const inference = opts.inferencePath ?? '/inference';
  const self = {} as WhisperScriptServer;
  const headers = { server: 'whisper.cpp', 'access-control-allow-origin': '*' };
  const notFound = (res: ServerResponse, path: string): void => sendText(res, 404, `File Not Found (${path})`);
  const errorResponse = (res: ServerResponse, status: number, path: string): void => {
    if (status === 400) return sendText(res, 400, 'Invalid request');
    if (status === 500) return sendJson(res, 500, { error: 'failed to process audio' });
    // the global error hook turns every other handler status (503, 499, 429...) into 404
    return notFound(res, path);
  };
  const server = await startScriptedServer({
    isWork: (m, p) => m === 'POST' && p === inference,
    errorResponse,
    async handle(req, res) {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (req.method === 'GET' && req.path === '/health') {
        return self.healthStatus === 200 ? sendJson(res, 200, { status: 'ok' }) : notFound(res, '/health');
      }
      if (req.method !== 'POST' || req.path !== inference) return notFound(res, req.path);
      let form: FormData;
      try {
        form = await parseForm(req);
      } catch {
        return sendText(res, 400, 'Invalid request');
      }
      const file = form.get('file');
      if (!(file instanceof Blob)) return sendText(res, 400, 'Invalid request');
      const fields: Record<string, string> = {};
      for (const [k, v] of form.entries()) if (typeof v === 'string') fields[k] = v;
      if (fields.temperature !== undefined && Number.isNaN(Number(fields.temperature))) {
        return sendText(res, 500, `500 Internal Server Error\nstof`);
      }
      let wav;
      try {
        wav = decodeWav16(new Uint8Array(await file.arrayBuffer()));
      } catch {
        return sendText(res, 400, 'Invalid request');
      }
      self.lastUpload = { sampleRate: wav.sampleRate, samples: wav.pcm.length, fields };
      if (self.oldBuildError !== null) return sendJson(res, 200, { error: self.oldBuildError });
      return sendJson(res, 200, { text: ` ${self.transcript}\n` });
    },
  });
  return Object.assign(self, server, { transcript: 'Go forward ten meters.', oldBuildError: null, healthStatus: 200, lastUpload: null });
}
