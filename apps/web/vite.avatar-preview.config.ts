import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Standalone avatar preview (avatar-preview.html): npx vite --config apps/web/vite.avatar-preview.config.ts */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  server: { port: 5199, strictPort: true, host: '127.0.0.1' },
  preview: { port: 5199, strictPort: true, host: '127.0.0.1' },
  build: { outDir: 'dist-avatar-preview', rollupOptions: { input: fileURLToPath(new URL('./avatar-preview.html', import.meta.url)) } },
});
