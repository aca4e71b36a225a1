#!/usr/bin/env node
import { main } from '../dist/cli-bundle/bulwark-cli.mjs';

process.exitCode = await main(process.argv.slice(2));
