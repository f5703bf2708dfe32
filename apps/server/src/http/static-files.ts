import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.vrm': 'model/gltf-binary',
  '.glb': 'model/gltf-binary',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * Serves the built web client. `index.html` gets the app config injected where it says
 * `<!--APP_CONFIG-->` (same origin only: the page is behind the same infrastructure auth).
 * Unknown paths without an extension fall back to index.html (client-side routes).
 */
export function createStaticHandler(distDir: string, appConfig: () => Record<string, unknown>) {
  const root = resolve(distDir);
  let indexCache: string | null = null;
  const indexHtml = (): string | null => {
    const path = join(root, 'index.html');
    if (!existsSync(path)) return null;
    if (indexCache === null || process.env.NODE_ENV !== 'production') {
      const config = JSON.stringify(appConfig()).replaceAll('<', '\\u003c');
      indexCache = readFileSync(path, 'utf8').replace('<!--APP_CONFIG-->', `<script>window.__APP_CONFIG__=${config}</script>`);
    }
    return indexCache;
  };

  return (req: IncomingMessage, res: ServerResponse, pathname: string): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const file = resolve(root, '.' + decoded);
    if (file !== root && !file.startsWith(root + sep)) return false;
    if (decoded !== '/' && existsSync(file) && statSync(file).isFile() && !file.endsWith(`${sep}index.html`)) {
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const cache = decoded.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': cache });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
      return true;
    }
    if (extname(decoded) !== '' && decoded !== '/index.html') return false;
    const html = indexHtml();
    if (html === null) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The web client is not built. Run: npx vite build --config apps/web/vite.config.ts\n');
      return true;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : html);
    return true;
  };
}
