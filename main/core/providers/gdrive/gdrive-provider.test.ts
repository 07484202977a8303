/** Drive-specific behaviour beyond the shared conformance suite, against the emulator's demo seed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGdriveEmulator, type GdriveEmulator } from '../../../../emulators';
import { readAll } from '../../../../test/conformance/provider-suite';
import { GdriveProvider } from './gdrive-provider';

let emulator: GdriveEmulator;
let provider: GdriveProvider;

beforeAll(async () => {
  emulator = await startGdriveEmulator({ seed: 'demo' });
  const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
  provider = await GdriveProvider.connect({
    apiBaseUrl: emulator.url,
    tokens: { getAccessToken: async () => token, invalidate: () => undefined },
  });
});
afterAll(() => emulator.close());

async function childNamed(parentId: string, name: string) {
  for await (const page of provider.list(parentId)) {
    const found = page.find((item) => item.name === name);
    if (found) return found;
  }
  throw new Error(`${name} not found`);
}

describe('GdriveProvider with Google documents', () => {
  it('reads a Google Doc as its default export (.docx) and as any offered format', async () => {
    const documents = await childNamed(provider.rootId, 'Documents');
    const plan = await childNamed(documents.id, 'Project plan');
    expect(plan).toMatchObject({
      kind: 'file',
      mimeType: 'application/vnd.google-apps.document',
    });
    const docx = await readAll(await provider.read(plan.id));
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip container: Office Open XML
    const text = (await readAll(await provider.export(plan.id, 'text/plain'))).toString('utf8');
    expect(text).toContain('Goals: ship the multi-cloud browser.');
  });

  it('refuses byte ranges and unknown hashes on Google documents', async () => {
    const documents = await childNamed(provider.rootId, 'Documents');
    const budget = await childNamed(documents.id, 'Budget 2025');
    await expect(provider.read(budget.id, { start: 0, end: 10 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(provider.hash(budget.id, 'md5')).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
