import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, clientMessage, serverMessage } from '@va/protocol';

const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/03_implementation/phase2_websocket.md'), 'utf8');

describe('docs/03_implementation/phase2_websocket.md stays true', () => {
  it.each(Object.entries(ERROR_CODES))('lists error code %s with its close code and HTTP status', (code, spec) => {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
    expect(row, `no row for ${code}`).toBeDefined();
    expect(row).toContain(`| ${spec.close ?? '—'} | ${spec.http} |`);
  });

  it('lists every client and server message type', () => {
    const types = [...clientMessage.options, ...serverMessage.options].map((o) => o.shape.type.value);
    for (const t of types) expect(doc, `message ${t}`).toContain(`| \`${t}\` |`);
  });
});
