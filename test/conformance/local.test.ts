import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalProvider } from '../../main/core/providers/local/local-provider';
import { defineProviderConformance } from './provider-suite';

defineProviderConformance('local', {
  setup: async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-conformance-'));
    const provider = await LocalProvider.open(root);
    const scratch = await provider.mkdir(provider.rootId, 'scratch', { conflict: 'fail' });
    return { provider, scratchId: scratch.id, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
  },
});
