import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const backend = `http://127.0.0.1:${process.env['BACKEND_PORT'] ?? '3000'}`;

/**
 * In dev, inject the same runtime config the server injects in production
 * (it replaces the literal `<!--APP_CONFIG-->` in dist/index.html).
 * The build keeps the placeholder so the server can fill it.
 */
function appConfigPlugin(): Plugin {
  return {
    name: 'va-app-config',
    apply: 'serve',
    transformIndexHtml(html) {
      const config = { token: process.env['APP_TOKEN'] ?? '', language: process.env['APP_LANGUAGE'] ?? null };
      const script = `<script>window.__APP_CONFIG__=${JSON.stringify(config).replace(/</g, '\\u003c')}</script>`;
      return html.replace('<!--APP_CONFIG-->', script);
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), tailwindcss(), appConfigPlugin()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/ws': { target: backend, ws: true },
      '/api': backend,
      '/health': backend,
      '/ready': backend,
    },
  },
});
