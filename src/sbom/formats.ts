import type { ReportFormat } from '../report/format.js';
import { writeCycloneDx } from './cyclonedx-writer.js';
import { buildSpdxDocument } from './spdx-document.js';
import { renderSpdxTagValue } from './spdx-tag-value.js';

export interface CycloneDxFormatOptions {
  /** The CycloneDX specification version (`1.4`, `1.5`, `1.6`). Default: `1.6`. */
  specVersion?: string;
}

/** Returns the `cyclonedx` (JSON) report format for one spec version, for a `--spec-version` flag. */
export function createCycloneDxFormat(options: CycloneDxFormatOptions = {}): ReportFormat {
  return {
    id: 'cyclonedx',
    contentType: 'application/vnd.cyclonedx+json',
    description: `CycloneDX ${options.specVersion ?? '1.6'} JSON SBOM, with vulnerabilities when the scan found any`,
    write: (report) => writeCycloneDx(report, { encoding: 'json', ...options }),
  };
}

/** Returns the `cyclonedx-xml` report format for one spec version. */
export function createCycloneDxXmlFormat(options: CycloneDxFormatOptions = {}): ReportFormat {
  return {
    id: 'cyclonedx-xml',
    contentType: 'application/vnd.cyclonedx+xml',
    description: `CycloneDX ${options.specVersion ?? '1.6'} XML SBOM, with vulnerabilities when the scan found any`,
    write: (report) => writeCycloneDx(report, { encoding: 'xml', ...options }),
  };
}

export const cyclonedxFormat: ReportFormat = createCycloneDxFormat();
export const cyclonedxXmlFormat: ReportFormat = createCycloneDxXmlFormat();

export const spdxJsonFormat: ReportFormat = {
  id: 'spdx-json',
  contentType: 'application/spdx+json',
  description: 'SPDX 2.3 JSON SBOM',
  write: (report) => `${JSON.stringify(buildSpdxDocument(report), null, 2)}\n`,
};

export const spdxTagValueFormat: ReportFormat = {
  id: 'spdx',
  contentType: 'text/spdx; charset=utf-8',
  description: 'SPDX 2.3 tag-value SBOM',
  write: (report) => renderSpdxTagValue(buildSpdxDocument(report)),
};

/** The SBOM report formats, for registering with a FormatRegistry. */
export const SBOM_FORMATS: readonly ReportFormat[] = [cyclonedxFormat, cyclonedxXmlFormat, spdxJsonFormat, spdxTagValueFormat];
