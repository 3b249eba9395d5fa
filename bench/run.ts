/**
 * `npm run bench [-- retrieval|sample|zalo|faults|layers|library|privacy|storage-bytes ...]`: every benchmark, or the ones named. Each prints
 * its own table; numbers go to the README and the issue notes, never into tests.
 */
const BENCHES: Record<string, () => Promise<void>> = {
  retrieval: async () => (await import('./retrieval.ts')).runRetrievalBench(),
  sample: async () => (await import('./sample-kb.ts')).runSampleKbBench(),
  zalo: async () => (await import('./zalo-webhook.ts')).runZaloWebhookBench(),
  faults: async () => (await import('./faults.ts')).runFaultsBench(),
  consultations: async () => (await import('./consultations.ts')).runConsultationsBench(),
  library: async () => (await import('./knowledge-library.ts')).runKnowledgeLibraryBench(),
  announcements: async () => (await import('./announcements.ts')).runAnnouncementsBench(),
  privacy: async () => (await import('./privacy.ts')).runPrivacyBench(),
  'storage-bytes': async () => (await import('./storage-bytes.ts')).runStorageBytesBench(),
  layers: async () => (await import('./layer-crossings.ts')).runLayerCrossingsBench(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const run = BENCHES[name];
  if (!run) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} ===`);
  await run();
}
