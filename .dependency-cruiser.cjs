/**
 * Loa's layer rules, checked by `npm run layers` (part of `npm test`). Dependencies point one
 * way: app/ → admin/, bots/ → knowledge/, retrieval/ → domain/; storage/ implements the
 * consumers' ports (`<consumer>/ports.ts`). docs/ARCHITECTURE.md explains each rule.
 * test/ and bench/ are outside the layers: they may reach anything.
 */

/** Source folders that are part of the layered application: every top-level folder but tests, benchmarks and scripts. */
const LAYERED = '^(?!(test|bench|bin|deploy|docs|node_modules)/)[^/]+/';
/** Files a consumer publishes for storage to implement (`admin/ports.ts`, `bots/core/ports.ts` …). */
const PORTS = '/ports\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'domain/ holds zod schemas and types only: it may import zod and itself, nothing else of Loa and no I/O.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: ['^domain/', '^node_modules/zod/'] },
    },
    {
      name: 'storage-implements-ports-only',
      comment: 'storage/ implements the ports its consumers declare; it may import domain/, those ports and itself, never the code that uses it.',
      severity: 'error',
      from: { path: '^storage/' },
      to: { path: LAYERED, pathNot: ['^storage/', '^domain/', PORTS] },
    },
    {
      name: 'retrieval-knows-no-channels',
      comment:
        'retrieval/ answers questions: it knows nothing of channels, the console, the conversation core or storage (only the data directory\'s file-mode helper, storage/private-files.ts, for its saved index).',
      severity: 'error',
      from: { path: '^retrieval/' },
      to: { path: '^(app|admin|bots|storage)/', pathNot: '^storage/private-files\\.ts$' },
    },
    {
      name: 'knowledge-knows-no-consumers',
      comment: 'knowledge/ turns documents into units (and its library builds the retrieval index from them); it knows nothing of the console, the channels or storage backends.',
      severity: 'error',
      from: { path: '^knowledge/' },
      to: { path: '^(app|admin|bots|storage)/' },
    },
    {
      name: 'channels-do-not-import-each-other',
      comment: 'A channel adapter (bots/<channel>/) speaks to the core only, never to another channel.',
      severity: 'error',
      from: { path: '^bots/(zalo|telegram|webchat|botframework)/' },
      to: { path: '^bots/(zalo|telegram|webchat|botframework)/', pathNot: '^bots/$1/' },
    },
    {
      name: 'core-imports-no-channel',
      comment: 'bots/core/ is channel-neutral: adapters depend on it, not the other way round.',
      severity: 'error',
      from: { path: '^bots/core/' },
      to: { path: '^bots/(zalo|telegram|webchat|botframework)/' },
    },
    {
      name: 'nothing-imports-app',
      comment: 'app/ composes everything (configuration, CLI, server); nothing in the layers imports it. Configuration goes down as narrow option objects.',
      severity: 'error',
      from: { path: LAYERED, pathNot: '^app/' },
      to: { path: '^app/' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles, type-only ones included: each folder can be read from the bottom up.',
      severity: 'error',
      from: { path: LAYERED },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)(node_modules|public)/', '^(test|bench|bin|deploy|docs|data|coverage)/', '^[^/]+\\.(c?js|ts)$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
