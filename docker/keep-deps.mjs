#!/usr/bin/env node
// Prints, one per line, every node_modules entry (relative to the repo root) that the given
// workspaces and packages need at run time: their `dependencies`, `optionalDependencies` and
// installed `peerDependencies`, followed transitively with Node's own lookup (nearest
// node_modules upwards). Dev dependencies are not followed, so the web client's build tools and
// browser-only packages (React, three.js, Vite...) stay out of the runtime image.
//
//   node docker/keep-deps.mjs apps/server apps/ingest pkg:tsx > keep.txt
//   tar -cf - -T keep.txt | tar -xf - -C /out
//
// A workspace is given as its folder; a package installed at the root as `pkg:<name>`;
// `skip:<name>` leaves a package (and what only it needs) out, e.g. `skip:onnxruntime-web`: the
// server reads only the Silero .onnx file from @ricky0123/vad-web and runs it on onnxruntime-node.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = process.cwd();
const keep = new Set(); // node_modules paths to copy (relative to root)
const seen = new Set(); // real package dirs already walked
const skipped = new Set(process.argv.slice(2).filter((a) => a.startsWith('skip:')).map((a) => a.slice(5)));

function readManifest(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Node's lookup: <dir>/node_modules/<name>, then each parent up to the repo root. */
function locate(fromDir, name) {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return undefined;
    dir = dirname(dir);
  }
}

function walk(pkgDir) {
  const real = realpathSync(pkgDir);
  if (seen.has(real)) return;
  seen.add(real);
  const manifest = readManifest(real);
  if (!manifest) return;
  const wanted = {
    ...(manifest.peerDependencies ?? {}),
    ...(manifest.optionalDependencies ?? {}),
    ...(manifest.dependencies ?? {}),
  };
  const required = new Set(Object.keys(manifest.dependencies ?? {}));
  for (const name of Object.keys(wanted)) {
    if (skipped.has(name)) continue;
    // Look up from the symlink's location as well as the real one: workspaces are linked.
    const found = locate(real, name) ?? locate(resolve(pkgDir), name);
    if (!found) {
      if (required.has(name)) process.stderr.write(`keep-deps: ${name} (needed by ${manifest.name}) is not installed\n`);
      continue;
    }
    const rel = relative(root, found);
    if (!rel.startsWith('..')) keep.add(rel);
    // A linked workspace: keep the link; its source is copied with the rest of the tree.
    if (lstatSync(found).isSymbolicLink()) {
      const target = realpathSync(found);
      if (relative(root, target).startsWith('..')) continue;
    }
    walk(found);
  }
}

const args = process.argv.slice(2);
if (args.length === 0) {
  process.stderr.write('usage: keep-deps.mjs <workspace dir | pkg:name>...\n');
  process.exit(2);
}
for (const arg of args) {
  if (arg.startsWith('skip:')) continue;
  if (arg.startsWith('pkg:')) {
    const found = locate(root, arg.slice(4));
    if (!found) throw new Error(`keep-deps: ${arg.slice(4)} is not installed`);
    keep.add(relative(root, found));
    walk(found);
  } else {
    // the workspace's own link (node_modules/@scope/name -> ../../<dir>), so it can be imported by name
    const name = readManifest(resolve(root, arg))?.name;
    const link = name ? join(root, 'node_modules', name) : undefined;
    if (link && existsSync(link)) keep.add(relative(root, link));
    walk(resolve(root, arg));
  }
}
// .bin links whose target is a kept package (e.g. node_modules/.bin/tsx).
const binDir = join(root, 'node_modules', '.bin');
if (existsSync(binDir)) {
  for (const entry of readdirSync(binDir)) {
    const link = join(binDir, entry);
    let target;
    try {
      target = relative(root, realpathSync(link));
    } catch {
      continue;
    }
    if ([...keep].some((k) => target.startsWith(k + '/'))) keep.add(relative(root, link));
  }
}
process.stdout.write([...keep].sort().join('\n') + '\n');
