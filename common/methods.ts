/**
 * The contract's method names, free of any dependency so the sandboxed preload can bundle them
 * (it may `require` nothing but `electron`). `contract.ts` gives each one its schema; the compiler
 * keeps the two in step.
 */
export const methodNames = [
  'listAccounts',
  'listNotices',
  'addLocalAccount',
  'addCloudAccount',
  'cancelSignIn',
  'removeAccount',
  'refreshAccount',
  'syncAll',
  'diskUsage',
  'startTransfer',
  'decideTransfer',
  'controlTransfers',
  'listTransfers',
  'getTransferSettings',
  'setTransferSettings',
  'getClientSettings',
  'setClientSettings',
  'beginUpload',
  'finishUpload',
  'cacheForDrag',
  'listFolder',
  'listMerged',
  'stat',
  'itemDetails',
  'openInBrowser',
  'createFolder',
  'renameItem',
  'trashItems',
  'restoreItems',
  'getIndexInfo',
  'rebuildIndex',
  'resolvePath',
  'search',
] as const;

export type MethodName = (typeof methodNames)[number];

const known: ReadonlySet<string> = new Set(methodNames);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && known.has(name);
}
