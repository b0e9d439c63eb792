import { readFileSync } from 'node:fs';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './src/server/precompress.ts';

const outDir = process.env.FOLIO_OUT_DIR ?? 'dist';

/** A new build is a new service worker: the id is baked into it (FOLIO_BUILD_ID pins it, for tests). */
const buildId = process.env.FOLIO_BUILD_ID ?? new Date().toISOString();

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __BUILD_ID__: JSON.stringify(buildId), __APP_VERSION__: JSON.stringify(version) },
  build: { outDir, emptyOutDir: true },
  // The replica worker (src/ui/replica/) is a module, as the page starts it.
  worker: { format: 'es' },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // We register it ourselves with workbox-window (src/ui/pwa/workerConnection.ts), as a module.
      injectRegister: false,
      registerType: 'prompt',
      // The install icons are fetched when installing, which happens online (see globPatterns).
      includeManifestIcons: false,
      injectManifest: {
        // What the app needs offline. The PNG icons (230 KB) are for installing, which happens
        // online: precaching them would double a first visit's download.
        globPatterns: ['**/*.{js,css,html,wasm,svg,webmanifest}'],
        // sql.js's wasm is about 650 KB; the default 2 MiB limit leaves room, this says so.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
      manifest: {
        name: 'Folio Sync',
        short_name: 'Folio Sync',
        description: 'Your brokerage accounts and activities, fresh and on your device.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#0f172a',
        theme_color: '#0f172a',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
    {
      // After everything is written, the service worker included (VitePWA builds it at closeBundle).
      name: 'folio-precompress',
      apply: 'build',
      closeBundle: { order: 'post', sequential: true, handler: () => void precompress(outDir) },
    },
  ],
});
