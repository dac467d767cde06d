import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The API listens on 127.0.0.1:8080 by default (`kariz serve`); in development Vite serves the
// SPA and forwards API calls there, so the browser sees one origin exactly as in production.
const apiTarget = process.env.KARIZ_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget },
    },
  },
  build: {
    target: 'es2022',
    // No source maps in the production build: they would publish the source to anyone (the
    // server refuses to serve a `.map` file as well).
    sourcemap: false,
    // The main bundle is budgeted at 300 KB gzip (see docs/spa.md); `npm run size` measures it.
    chunkSizeWarningLimit: 900,
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
    setupFiles: ['src/testing/setup-tests.ts'],
  },
});
