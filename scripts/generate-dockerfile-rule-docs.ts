// Writes docs/rules/dockerfile.md from the Dockerfile rule registry. Run after changing a rule:
//   node --import tsx scripts/generate-dockerfile-rule-docs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { DOCKERFILE_RULES } from '../src/misconfig/dockerfile/rules/index.js';
import { renderDockerfileRuleDocs } from '../src/misconfig/dockerfile/rule-docs.js';

const target = fileURLToPath(new URL('../docs/rules/dockerfile.md', import.meta.url));
writeFileSync(target, renderDockerfileRuleDocs(DOCKERFILE_RULES));
