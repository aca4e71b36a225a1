// Writes docs/rules/imageconfig.md from the image config rules. Run after changing a rule:
//   node --import tsx scripts/generate-imageconfig-rule-docs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { imageConfigRules } from '../src/misconfig/imageconfig/index.js';
import { renderImageConfigRuleDocs } from '../src/misconfig/imageconfig/rule-docs.js';

const target = fileURLToPath(new URL('../docs/rules/imageconfig.md', import.meta.url));
writeFileSync(target, renderImageConfigRuleDocs(imageConfigRules()));
