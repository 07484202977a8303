/** Entry point of the built CLI (out/main/cli.js), started by bin/skyfold.mjs. */
import { fileURLToPath } from 'node:url';
import { runCli } from './program';

// `skyfold ls X: | head` closes the pipe early: that is a normal end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const untilStopped = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

const status = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
  untilStopped,
  ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
});
process.exitCode = status;
