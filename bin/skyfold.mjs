#!/usr/bin/env node
// The `skyfold` command. Runs the built CLI (npm run build) on Node >= 22.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `skyfold: Node ${process.versions.node} is too old; Node 22 or newer is needed (. scripts/provision-node.sh)\n`,
  );
  process.exit(1);
}
try {
  await import('../out/main/cli.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('out/main/cli.js')) {
    process.stderr.write('skyfold: the CLI is not built yet; run "npm run build" first\n');
    process.exit(1);
  }
  throw error;
}
