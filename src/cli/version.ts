/** The version of the CLI, as package.json states it; SARIF and SBOM documents name it. */
export const BULWARK_VERSION = '0.1.0';
