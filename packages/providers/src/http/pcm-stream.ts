import { ProviderError } from '@va/pipeline';
import type { TtsChunk } from '@va/pipeline';
import type { HttpCall } from './call.ts';
import { readBody } from './call.ts';
import { PcmCarry } from './pcm-carry.ts';
import type { HttpResponse } from './transport.ts';

/**
 * Yields a headerless s16le mono body as TtsChunks as bytes arrive (odd bytes carried). The
 * first-byte timer stops at the first audio byte. Fewer than `minBytes` in total is a failure: the
 * server sent 200 and then had nothing to say (Fish: "No audio generated").
 */
export async function* streamPcm(
  provider: string,
  call: HttpCall,
  res: HttpResponse,
  sampleRate: number,
  minBytes: number,
): AsyncGenerator<TtsChunk> {
  const carry = new PcmCarry();
  for await (const bytes of readBody(call, res)) {
    call.firstByte();
    const pcm = carry.push(bytes);
    if (pcm.length > 0) yield { sampleRate, pcm };
  }
  if (carry.bytes < minBytes) {
    throw new ProviderError({
      provider,
      code: 'bad_response',
      retryable: false,
      status: res.status,
      message: `${provider}: audio stream ended after ${carry.bytes} bytes (expected at least ${minBytes})`,
    });
  }
}
