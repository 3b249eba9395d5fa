#!/usr/bin/env node
// The `loa` command. tsx compiles the TypeScript sources on load: no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli.ts');
await main(process.argv);
