export { checkImage, type ImageCheckResult } from './check-image.js';
export { IMAGE_CONFIG_PATH, viewEntries, type ImageCheckInput, type ImageFileEntry, type LayerFiles } from './input.js';
export { imageConfigRules, type ImageRuleId } from './rules.js';
