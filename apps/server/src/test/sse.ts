import type { ServerMessage } from '@va/protocol';
import { parseServerMessage } from '@va/protocol';

/** POSTs to the text-chat API and collects the SSE events (validated protocol messages). */
export async function textChat(url: string, token: string, body: unknown): Promise<{ status: number; events: ServerMessage[]; json?: unknown }> {
  const res = await fetch(`${url}/api/v1/text-chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return { status: res.status, events: [], json: await res.json() };
  const text = await res.text();
  const events: ServerMessage[] = [];
  for (const block of text.split('\n\n')) {
    const event = /^event: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    if (!event || !data) continue;
    const parsed = parseServerMessage(data);
    if (!parsed.ok) throw new Error(`invalid SSE data: ${parsed.error}`);
    if (parsed.value.type !== event) throw new Error(`event name ${event} does not match ${parsed.value.type}`);
    events.push(parsed.value);
  }
  return { status: res.status, events };
}
