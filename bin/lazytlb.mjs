#!/usr/bin/env node
// The lazytlb command: loads the TypeScript CLI (models and variant files are TypeScript, loaded at run time).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
