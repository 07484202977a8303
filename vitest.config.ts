import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'common/**/*.test.ts',
            'main/**/*.test.ts',
            'renderer/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
          exclude: ['main/electron/**'],
          environment: 'node',
        },
      },
      {
        // The Electron host runs against a stand-in `electron` module (no binary is needed).
        resolve: { alias: { electron: resolve('test/stand-ins/electron.ts') } },
        test: { name: 'electron-host', include: ['main/electron/**/*.test.ts'], environment: 'node' },
      },
      {
        // Each emulator driven by the official SDK and by raw HTTP.
        test: {
          name: 'emulators',
          include: ['emulators/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        // Transfers under kills and faults (issue 7): real processes, killed at random moments.
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
        },
      },
    ],
  },
});
