import { PackageURL } from 'packageurl-js';

import type { Artifact } from '../model/report.js';

/**
 * Lists the image config facts of an artifact as `[key, value]` pairs for SBOM properties and
 * annotations: one pair per environment variable, exposed port and label, and JSON arrays for
 * the entrypoint and command, whose word boundaries matter. The values were masked when the
 * report was built.
 */
export function imageConfigFacts(artifact: Artifact): Array<[string, string]> {
  const config = artifact.imageConfig;
  if (config === undefined) return [];
  const facts: Array<[string, string | undefined]> = [
    ['ImageConfig:Architecture', config.architecture],
    ['ImageConfig:OS', config.os],
    ['ImageConfig:Variant', config.variant],
    ['ImageConfig:Created', config.created],
    ['ImageConfig:User', config.user],
    ['ImageConfig:WorkingDir', config.workingDir],
    ['ImageConfig:Entrypoint', config.entrypoint && JSON.stringify(config.entrypoint)],
    ['ImageConfig:Cmd', config.cmd && JSON.stringify(config.cmd)],
    ['ImageConfig:StopSignal', config.stopSignal],
  ];
  for (const item of config.env ?? []) facts.push(['ImageConfig:Env', item]);
  for (const port of config.exposedPorts ?? []) facts.push(['ImageConfig:ExposedPort', port]);
  for (const label of config.labels ?? []) facts.push([`ImageConfig:Label:${label.key}`, label.value]);
  return facts.filter((fact): fact is [string, string] => fact[1] !== undefined);
}

/**
 * Builds the `pkg:oci` purl of an image: the last repository segment as the name, the manifest
 * digest as the version, with `arch` and `repository_url` qualifiers, as Trivy writes it. The
 * repository comes from the registry digest, else from a `repository:tag` tag when the digest is a
 * manifest digest. A docker-archive records only the config digest, which names no manifest, and an
 * OCI layout often names only the tag (`12`), so such images get no purl.
 */
export function imagePurl(artifact: Artifact): string | undefined {
  if (artifact.type !== 'container-image') return undefined;
  let repository: string | undefined;
  let digest: string | undefined;
  const repoDigest = artifact.repoDigests?.[0];
  if (repoDigest !== undefined) {
    [repository, digest] = repoDigest.split('@') as [string, string];
  } else if (artifact.digest !== undefined && artifact.digest !== artifact.imageId) {
    const tagged = artifact.repoTags?.find((tag) => tag.lastIndexOf(':') > tag.lastIndexOf('/'));
    repository = tagged === undefined ? undefined : tagged.slice(0, tagged.lastIndexOf(':'));
    digest = artifact.digest;
  }
  if (repository === undefined || digest === undefined) return undefined;

  const name = repository.slice(repository.lastIndexOf('/') + 1).toLowerCase();
  const qualifiers: Record<string, string> = {};
  if (artifact.imageConfig?.architecture !== undefined) qualifiers.arch = artifact.imageConfig.architecture;
  qualifiers.repository_url = repository;
  return new PackageURL('oci', undefined, name, digest, qualifiers, undefined).toString();
}
