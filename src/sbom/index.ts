/** SBOM output (CycloneDX and SPDX report formats) and input (`bulwark sbom`). */
export {
  createCycloneDxFormat,
  createCycloneDxXmlFormat,
  cyclonedxFormat,
  cyclonedxXmlFormat,
  SBOM_FORMATS,
  spdxJsonFormat,
  spdxTagValueFormat,
  type CycloneDxFormatOptions,
} from './formats.js';
export { CYCLONEDX_SPEC_VERSIONS, writeCycloneDx, type CycloneDxSpecVersion, type CycloneDxWriteOptions } from './cyclonedx-writer.js';
export { buildSpdxDocument, type SpdxDocument, type SpdxWriteOptions } from './spdx-document.js';
export { renderSpdxTagValue } from './spdx-tag-value.js';
export { DEFAULT_SBOM_LIMITS, readSbom, type SbomDocument, type SbomFormat, type SbomReadLimits } from './read-sbom.js';
export { scanSbom, type SbomScanOptions } from './scan-sbom.js';
export { normalizeLicense, type NormalizedLicense } from './licenses.js';
