import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInside, walk } from './walk.ts';

describe('walk', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'va-walk-'));
    const d = join(base, 'docs');
    await mkdir(join(d, 'a', 'b'), { recursive: true });
    await mkdir(join(base, 'outside'));
    await writeFile(join(d, 'a', 'b', 'deep.MD'), 'x');
    await writeFile(join(d, 'top.pdf'), 'x');
    await writeFile(join(d, 'skip.txt'), 'x');
    await mkdir(join(d, '.git'));
    await writeFile(join(d, '.git', 'hidden.md'), 'x');
    await writeFile(join(base, 'outside', 'o.md'), 'x');
    await symlink(join(base, 'outside'), join(d, 'out-dir'));
    await symlink('../outside/o.md', join(d, 'dotdot.md'));
    await symlink(join(d, 'a'), join(d, 'a', 'b', 'loop'));
    await symlink(join(d, 'missing.md'), join(d, 'dangling.md'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lists supported files once, refuses links out of the folder, survives loops', async () => {
    const r = await walk(join(base, 'docs'));
    expect(r.files.map((f) => f.rel)).toEqual(['a/b/deep.MD', 'top.pdf']);
    expect(r.refused).toEqual([
      { rel: 'dangling.md', reason: 'broken symlink' },
      { rel: 'dotdot.md', reason: 'symlink points outside the ingested directory' },
      { rel: 'out-dir', reason: 'symlink points outside the ingested directory' },
    ]);
  });

  it('isInside rejects parent escapes and sibling prefixes', () => {
    expect(isInside('/a/docs', '/a/docs/x.md')).toBe(true);
    expect(isInside('/a/docs', '/a/docs')).toBe(true);
    expect(isInside('/a/docs', '/a/docs-other/x.md')).toBe(false);
    expect(isInside('/a/docs', '/a/x.md')).toBe(false);
    expect(isInside('/a/docs', '/a/docs/..foo/x.md')).toBe(true);
  });
});
