import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

export const SUPPORTED_EXTENSIONS = ['.md', '.markdown', '.pdf'] as const;

export interface FoundFile {
  /** Path relative to the root, with `/` separators (the `source` of every passage). */
  rel: string;
  /** Real absolute path to read. */
  abs: string;
}

export interface RefusedPath {
  rel: string;
  reason: string;
}

export interface WalkResult {
  root: string;
  files: FoundFile[];
  refused: RefusedPath[];
}

const supported = (name: string): boolean => SUPPORTED_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e));

/** Whether `target` is `root` itself or below it (both real paths). */
export function isInside(root: string, target: string): boolean {
  const r = relative(root, target);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

/**
 * Lists supported files under `dir` recursively, sorted. Symlinks are followed only when their
 * real target stays inside `dir`; others are refused and reported. A file reachable by several
 * paths is listed once (under its non-link path). Hidden entries (".git") are skipped.
 */
export async function walk(dir: string): Promise<WalkResult> {
  const root = await realpath(dir);
  if (!(await stat(root)).isDirectory()) throw new Error(`not a directory: ${dir}`);
  /** By real path: a file reached twice (via a symlink inside the folder) is indexed once. */
  const byReal = new Map<string, FoundFile & { viaLink: boolean }>();
  const refused: RefusedPath[] = [];
  const seenDirs = new Set<string>([root]);

  async function visit(absDir: string, relDir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(absDir, { withFileTypes: true });
    } catch (err) {
      refused.push({ rel: relDir || '.', reason: `cannot list directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      let abs = join(absDir, e.name);
      let isDir = e.isDirectory();
      const viaLink = e.isSymbolicLink();
      if (viaLink) {
        let target: string;
        try {
          target = await realpath(abs);
        } catch {
          if (supported(e.name)) refused.push({ rel, reason: 'broken symlink' });
          continue;
        }
        if (!isInside(root, target)) {
          refused.push({ rel, reason: 'symlink points outside the ingested directory' });
          continue;
        }
        abs = target;
        isDir = (await lstat(target)).isDirectory();
      }
      if (isDir) {
        if (seenDirs.has(abs)) continue; // symlink loop or second link to the same folder
        seenDirs.add(abs);
        await visit(abs, rel);
      } else if (supported(e.name)) {
        const prior = byReal.get(abs);
        if (!prior || (prior.viaLink && !viaLink)) byReal.set(abs, { rel, abs, viaLink });
      }
    }
  }

  await visit(root, '');
  const files = [...byReal.values()]
    .map(({ rel, abs }) => ({ rel, abs }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { root, files, refused };
}
