import type { RuleMetadata } from '../../src/model/misconfiguration.js';
import type { Package } from '../../src/model/package.js';
import type { ScanReport } from '../../src/model/report.js';
import type { Vulnerability } from '../../src/model/vulnerability.js';

/**
 * Builds a scan report shaped like a scan of a Debian 12 image with a Node.js application: OS
 * packages from dpkg, an npm lock file with a dev dependency, and a Go binary. IDs, versions and
 * titles follow the public advisories they name. Each call returns a fresh copy.
 */
export function sampleReport(): ScanReport {
  return {
    schemaVersion: 1,
    artifact: {
      name: 'registry.example/shop/web:1.4.2',
      type: 'container-image',
      digest: 'sha256:9b2a64b2f1e0c34e8d1d0e5bd2c8a8ef6b4f2d7f6a55c0b1bbf6f1e3c2d4a5b6',
      imageId: 'sha256:1f0b8a2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e',
      repoTags: ['registry.example/shop/web:latest', 'registry.example/shop/web:1.4.2'],
      os: { family: 'debian', version: '12.5', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)', path: 'etc/os-release' },
      layers: [
        { digest: 'sha256:aa11', diffId: 'sha256:bb11', size: 29_126_484 },
        { digest: 'sha256:aa22', diffId: 'sha256:bb22', size: 1_204 },
      ],
    },
    db: { status: 'ok', builtAt: '2024-03-01T06:12:00Z' },
    results: [
      {
        target: 'app/package-lock.json',
        class: 'lang-pkgs',
        type: 'npm',
        packages: [
          npmPackage('lodash', '4.17.20', { direct: true }),
          npmPackage('minimist', '1.2.5', { dev: true }),
          npmPackage('express', '4.17.1', { direct: true }),
          npmPackage('jest', '29.7.0', { dev: true, direct: true }),
        ],
        vulnerabilities: [
          npmVulnerability({
            id: 'CVE-2021-23337',
            aliases: ['GHSA-35jh-r3h4-6jhm'],
            pkgName: 'lodash',
            installedVersion: '4.17.20',
            fixedVersion: '4.17.21',
            severity: 'HIGH',
            title: 'nodejs-lodash: command injection via template',
          }),
          npmVulnerability({
            id: 'CVE-2020-28500',
            aliases: ['GHSA-29mw-wpgm-hmr9'],
            pkgName: 'lodash',
            installedVersion: '4.17.20',
            fixedVersion: '4.17.21',
            severity: 'MEDIUM',
            title: 'nodejs-lodash: ReDoS via the toNumber, trim and trimEnd functions',
          }),
          npmVulnerability({
            id: 'CVE-2021-44906',
            aliases: ['GHSA-xvch-5gv4-984h'],
            pkgName: 'minimist',
            installedVersion: '1.2.5',
            fixedVersion: '1.2.6',
            severity: 'CRITICAL',
            title: 'minimist: prototype pollution',
          }),
          npmVulnerability({
            id: 'CVE-2022-24999',
            aliases: ['GHSA-hrpp-h998-j3pp'],
            pkgName: 'express',
            installedVersion: '4.17.1',
            fixedVersion: '4.17.3',
            severity: 'HIGH',
            title: 'express: "qs" prototype poisoning causes the hang of the node process',
          }),
        ],
      },
      {
        target: 'debian',
        class: 'os-pkgs',
        type: 'debian',
        packages: [
          debPackage('libssl3', '3.0.11-1~deb12u2', 'openssl'),
          debPackage('openssl', '3.0.11-1~deb12u2', 'openssl'),
          debPackage('zlib1g', '1:1.2.13.dfsg-1', 'zlib'),
          debPackage('libc6', '2.36-9+deb12u4', 'glibc'),
        ],
        vulnerabilities: [
          debVulnerability({
            id: 'CVE-2024-0727',
            pkgName: 'libssl3',
            installedVersion: '3.0.11-1~deb12u2',
            fixedVersion: '3.0.13-1~deb12u1',
            severity: 'MEDIUM',
            title: 'openssl: denial of service via null dereference in PKCS12 parsing',
          }),
          debVulnerability({
            id: 'CVE-2023-5678',
            pkgName: 'libssl3',
            installedVersion: '3.0.11-1~deb12u2',
            fixedVersion: '3.0.13-1~deb12u1',
            severity: 'LOW',
            title: 'openssl: Generating excessively long X9.42 DH keys or checking excessively long X9.42 DH keys or parameters may be very slow',
          }),
          debVulnerability({
            id: 'CVE-2024-0727',
            pkgName: 'openssl',
            installedVersion: '3.0.11-1~deb12u2',
            fixedVersion: '3.0.13-1~deb12u1',
            severity: 'MEDIUM',
            title: 'openssl: denial of service via null dereference in PKCS12 parsing',
          }),
          debVulnerability({
            id: 'CVE-2023-45853',
            pkgName: 'zlib1g',
            installedVersion: '1:1.2.13.dfsg-1',
            severity: 'CRITICAL',
            title: 'zlib: integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_6',
          }),
          debVulnerability({
            id: 'CVE-2010-4756',
            pkgName: 'libc6',
            installedVersion: '2.36-9+deb12u4',
            severity: 'LOW',
            title: 'glibc: glob implementation can cause excessive CPU and memory consumption due to crafted glob expressions',
          }),
        ],
      },
      {
        target: 'usr/local/bin/caddy',
        class: 'lang-pkgs',
        type: 'gobinary',
        packages: [{ name: 'golang.org/x/net', version: 'v0.17.0', path: 'usr/local/bin/caddy', purl: 'pkg:golang/golang.org/x/net@v0.17.0' }],
        vulnerabilities: [
          {
            id: 'CVE-2023-45288',
            aliases: ['GHSA-4v7x-pqxf-cx7m', 'GO-2024-2687'],
            pkgName: 'golang.org/x/net',
            installedVersion: 'v0.17.0',
            fixedVersion: '0.23.0',
            status: 'fixed',
            severity: 'MEDIUM',
            title: 'golang: net/http, x/net/http2: unlimited number of CONTINUATION frames causes DoS',
            dataSource: 'osv:Go',
            purl: 'pkg:golang/golang.org/x/net@v0.17.0',
            pkgPath: 'usr/local/bin/caddy',
          },
        ],
      },
    ],
    errors: [
      { target: 'usr/lib/python3/dist-packages/broken-1.0.dist-info/METADATA', message: 'invalid METADATA: missing Name header', code: 'FORMAT_INVALID' },
      { target: 'app/yarn.lock', message: 'yarn.lock v1 entry without a version at line 12', code: 'FORMAT_INVALID' },
    ],
  };
}

function npmPackage(name: string, version: string, flags: { dev?: boolean; direct?: boolean }): Package {
  return { name, version, path: 'app/package-lock.json', purl: `pkg:npm/${name}@${version}`, ...flags };
}

function debPackage(name: string, version: string, srcName: string): Package {
  const purl = `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=amd64&distro=debian-12.5`;
  return { name, version, srcName, srcVersion: version, arch: 'amd64', path: 'var/lib/dpkg/status', purl };
}

type VulnerabilityFields = Pick<Vulnerability, 'id' | 'pkgName' | 'installedVersion' | 'severity' | 'title'> & {
  aliases?: string[];
  fixedVersion?: string;
};

function npmVulnerability(fields: VulnerabilityFields): Vulnerability {
  return {
    aliases: [],
    ...fields,
    status: fields.fixedVersion === undefined ? 'affected' : 'fixed',
    dataSource: 'osv:npm',
    purl: `pkg:npm/${fields.pkgName}@${fields.installedVersion}`,
    pkgPath: 'app/package-lock.json',
  };
}

function debVulnerability(fields: VulnerabilityFields): Vulnerability {
  return {
    aliases: [],
    ...fields,
    status: fields.fixedVersion === undefined ? 'affected' : 'fixed',
    severitySource: 'debian',
    dataSource: 'debian-tracker',
    purl: `pkg:deb/debian/${fields.pkgName}@${encodeURIComponent(fields.installedVersion)}?arch=amd64&distro=debian-12.5`,
  };
}

/**
 * Builds the report of a `bulwark config` run over a checkout with two Dockerfiles and two
 * manifests: one Dockerfile with findings (a rule with hadolint's code as alias, and ShellCheck's
 * SC2086 on a RUN line), one clean Dockerfile, a Deployment with security-context findings, and a
 * manifest that could not be parsed. Rule metadata comes with the report. Each call returns a
 * fresh copy.
 */
export function sampleConfigReport(): ScanReport {
  return {
    schemaVersion: 1,
    artifact: { name: '.', type: 'config' },
    results: [
      {
        target: 'services/api/Dockerfile',
        class: 'config',
        type: 'dockerfile',
        misconfigurations: [
          {
            id: 'SC2086',
            aliases: [],
            severity: 'LOW',
            title: 'Double quote to prevent globbing and word splitting',
            message: 'ShellCheck: $APP_HOME is unquoted in "cp -r build/* $APP_HOME"',
            location: { path: 'services/api/Dockerfile', startLine: 14, endLine: 14, startColumn: 22, endColumn: 31 },
            references: ['https://www.shellcheck.net/wiki/SC2086'],
          },
          {
            id: 'dockerfile/apt-pin-versions',
            aliases: ['DL3008'],
            severity: 'MEDIUM',
            title: 'Pin versions in apt-get install',
            message: 'apt-get install names curl and ca-certificates without versions',
            location: { path: 'services/api/Dockerfile', startLine: 5, endLine: 7 },
            resolution: 'Write each package as name=version, for example curl=7.88.1-10+deb12u5.',
            references: ['https://github.com/hadolint/hadolint/wiki/DL3008'],
          },
          {
            id: 'dockerfile/root-user',
            aliases: ['DL3002'],
            severity: 'HIGH',
            title: 'Last USER is root',
            message: 'the final stage "runtime" runs as root: USER root on line 18 is the last USER',
            location: { path: 'services/api/Dockerfile', startLine: 18, endLine: 18 },
            resolution: 'End the final stage with USER <non-root name or UID>.',
          },
        ],
      },
      { target: 'services/worker/Dockerfile', class: 'config', type: 'dockerfile', misconfigurations: [] },
      {
        target: 'deploy/web.yaml',
        class: 'config',
        type: 'kubernetes',
        misconfigurations: [
          {
            id: 'pss/privileged',
            aliases: ['KSV017'],
            severity: 'CRITICAL',
            title: 'Privileged container',
            message: 'container "web" sets securityContext.privileged to true',
            location: { path: 'deploy/web.yaml', startLine: 31, endLine: 31, startColumn: 13 },
            object: {
              kind: 'Deployment',
              namespace: 'shop',
              name: 'web',
              container: 'web',
              fieldPath: 'spec.template.spec.containers[0].securityContext.privileged',
            },
            resolution: 'Remove securityContext.privileged or set it to false.',
            references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/'],
          },
          {
            id: 'k8s/no-resource-limits',
            aliases: [],
            severity: 'LOW',
            title: 'Container has no resource limits',
            message: 'container "web" sets no resources.limits.memory',
            location: { path: 'deploy/web.yaml', startLine: 22, endLine: 35 },
            object: { kind: 'Deployment', namespace: 'shop', name: 'web', container: 'web', fieldPath: 'spec.template.spec.containers[0].resources' },
          },
        ],
      },
    ],
    errors: [{ target: 'deploy/broken.yaml', message: 'invalid YAML at line 4, column 3: bad indentation of a mapping entry', code: 'FORMAT_INVALID' }],
    rules: sampleConfigRules(),
  };
}

/** Returns rule metadata for the rules that sampleConfigReport uses, except SC2086. */
export function sampleConfigRules(): RuleMetadata[] {
  return [
    {
      id: 'dockerfile/apt-pin-versions',
      aliases: ['DL3008'],
      severity: 'MEDIUM',
      title: 'Pin versions in apt-get install',
      description: 'Unpinned packages make builds unrepeatable: the next build may install a different version with different behaviour or flaws.',
      resolution: 'Write each package as name=version.',
      helpUri: 'https://github.com/hadolint/hadolint/wiki/DL3008',
      examples: { bad: 'RUN apt-get install -y curl', good: 'RUN apt-get install -y curl=7.88.1-10+deb12u5' },
    },
    {
      id: 'dockerfile/root-user',
      aliases: ['DL3002'],
      severity: 'HIGH',
      title: 'Last USER is root',
      description: 'A container that runs as root turns an escape from the application into root on the container.',
      resolution: 'End the final stage with USER <non-root name or UID>.',
      examples: { bad: 'USER root\nCMD ["app"]', good: 'USER 10001\nCMD ["app"]' },
    },
    {
      id: 'k8s/no-resource-limits',
      aliases: [],
      severity: 'LOW',
      title: 'Container has no resource limits',
      description: 'Without limits, one container can starve the others on its node of memory or CPU.',
      resolution: 'Set resources.limits.memory and resources.limits.cpu on every container.',
    },
    {
      id: 'pss/privileged',
      aliases: ['KSV017'],
      severity: 'CRITICAL',
      title: 'Privileged container',
      description: 'A privileged container has every capability and all host devices, so it can take over its node.',
      resolution: 'Remove securityContext.privileged or set it to false.',
      helpUri: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
      examples: { bad: 'securityContext:\n  privileged: true', good: 'securityContext:\n  privileged: false' },
    },
  ];
}
