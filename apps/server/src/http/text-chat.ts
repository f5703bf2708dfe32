import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { MAX_TEXT_CHARS, isValidSessionId, type ServerMessage, type SessionLanguage } from '@va/protocol';
import type { SessionOutput } from '@va/pipeline';
import type { SessionRegistry } from '../sessions.ts';
import { tokenMatches } from '../ws/auth.ts';
import { sendError } from './respond.ts';

const bodySchema = z.object({
  session_id: z.string().refine(isValidSessionId, 'must be 1-64 characters of [A-Za-z0-9_-]'),
  text: z.string().trim().min(1, 'must not be empty').max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`),
  /** BCP-47, like `hello.language`; absent: the server's default. Used when this request creates the session. */
  language: z.string().max(35).optional(),
});

export interface TextChatDeps {
  appToken: string;
  sessions: SessionRegistry;
  sessionLanguage(tag: string | undefined): SessionLanguage;
}

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * POST /api/v1/text-chat — `Authorization: Bearer <APP_TOKEN>`, body `{session_id, text}`.
 * Answers as Server-Sent Events, one event per protocol message (`event: assistant.delta` ...),
 * ending with `assistant.done` and `turn.metrics`. Same turn logic, retrieval and logging as voice.
 */
export async function handleTextChat(req: IncomingMessage, res: ServerResponse, deps: TextChatDeps): Promise<void> {
  const auth = req.headers.authorization ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!token || !tokenMatches(token, deps.appToken)) return sendError(res, 'unauthorized', 'Send Authorization: Bearer <APP_TOKEN>.');
  const raw = await readBody(req);
  if (raw === null) return sendError(res, 'text_too_long', 'The request body is too large.');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return sendError(res, 'bad_message', 'The body is not valid JSON.');
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const code = issue?.path[0] === 'text' && issue.code === 'too_big' ? 'text_too_long' : 'bad_message';
    return sendError(res, code, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const session = deps.sessions.forText(parsed.data.session_id, deps.sessionLanguage(parsed.data.language));
  if (!session) return sendError(res, 'server_full', 'The server is at its session limit; try again later.');
  if (session.busy) return sendError(res, 'busy', 'This session is already answering; try again when it is done.');

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  let open = true;
  const output: SessionOutput = {
    sendEvent: (m: ServerMessage) => {
      if (open) res.write(`event: ${m.type}\ndata: ${JSON.stringify(m)}\n\n`);
    },
    sendAudio: () => false,
  };
  res.on('close', () => {
    if (open) {
      open = false;
      session.interrupt();
    }
  });
  await session.textChat(parsed.data.text, output);
  if (open) {
    open = false;
    res.end();
  }
}
