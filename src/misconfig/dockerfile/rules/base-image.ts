import type { Stage } from '../model.js';
import { hadolintRule, type DockerfileRule } from '../rule.js';

/** The parts of an image reference: `registry/repository:tag@digest`. */
export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits an image reference the way Docker does: the first part is a registry only if it has a `.` or `:` or is `localhost`. */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasRegistry = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const path = hasRegistry ? rest.slice(slash + 1) : rest;
  const colon = path.lastIndexOf(':');
  const result: ImageReference = { registry, repository: colon === -1 ? path : path.slice(0, colon) };
  if (colon !== -1) result.tag = path.slice(colon + 1);
  if (digest !== undefined) result.digest = digest;
  return result;
}

/** True when FROM names an earlier stage, `scratch` or an unexpanded variable, which have no tag to check. */
function isExternalImage(stage: Stage): boolean {
  const image = stage.image.toLowerCase();
  if (image === 'scratch' || image === '' || image.includes('$')) return false;
  return stage.parent === undefined;
}

const untagged: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3006', severity: 'MEDIUM', title: 'Base image has no tag',
    description: 'Without a tag, FROM pulls `latest`, which moves as the image is updated, so builds stop being reproducible and can break without a change to the Dockerfile.',
    resolution: 'Name a release tag, such as `debian:12.8`, or pin a digest.',
    examples: { bad: 'FROM debian', good: 'FROM debian:12.8' },
  }),
  check(context) {
    for (const stage of context.file.stages) {
      if (!isExternalImage(stage)) continue;
      const reference = parseImageReference(stage.image);
      if (reference.tag === undefined && reference.digest === undefined) context.report(stage.from, `image "${stage.image}" has no tag`);
    }
  },
};

const latestTag: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3007', severity: 'MEDIUM', title: 'Base image uses the latest tag',
    description: '`latest` points at whatever was pushed last, so the same Dockerfile builds different images over time.',
    resolution: 'Pin a release tag, such as `alpine:3.20`, or a digest.',
    examples: { bad: 'FROM alpine:latest', good: 'FROM alpine:3.20' },
  }),
  check(context) {
    for (const stage of context.file.stages) {
      if (!isExternalImage(stage)) continue;
      const reference = parseImageReference(stage.image);
      if (reference.tag === 'latest' && reference.digest === undefined) context.report(stage.from, `image "${stage.image}" uses the latest tag`);
    }
  },
};

const untrustedRegistry: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3026', severity: 'HIGH', title: 'Base image from a registry that is not trusted',
    description: 'Base images from registries outside the configured list escape the review and scanning those registries get.',
    resolution: 'Pull the image from one of `dockerfile.trustedRegistries` in `.bulwark.yaml`, or add its registry there.',
    examples: { bad: 'FROM quay.io/someone/tool:1.0', good: 'FROM registry.example.com/tools/tool:1.0' },
  }),
  check(context) {
    const trusted = context.settings.trustedRegistries;
    if (trusted.length === 0) return;
    for (const stage of context.file.stages) {
      if (!isExternalImage(stage)) continue;
      const { registry } = parseImageReference(stage.image);
      const allowed = trusted.some((entry) => entry === registry || (entry === 'docker.io' && registry === 'index.docker.io') || (entry.startsWith('*.') && registry.endsWith(entry.slice(1))));
      if (!allowed) context.report(stage.from, `image "${stage.image}" comes from registry "${registry}", which is not in trustedRegistries (${trusted.join(', ')})`);
    }
  },
};

const platformFlag: DockerfileRule = {
  meta: hadolintRule({
    code: 'DL3029', severity: 'MEDIUM', title: 'FROM has a fixed --platform',
    description: 'A fixed platform in FROM overrides what the build was asked for, so multi-platform builds silently get the wrong architecture.',
    resolution: 'Drop `--platform`, or use `--platform=$BUILDPLATFORM` or `$TARGETPLATFORM` for cross-compiling stages.',
    examples: { bad: 'FROM --platform=linux/amd64 debian:12', good: 'FROM --platform=$BUILDPLATFORM debian:12' },
  }),
  check(context) {
    for (const stage of context.file.stages) {
      const platform = stage.from.flags.get('platform')?.[0];
      if (platform !== undefined && !platform.includes('$')) context.report(stage.from, `FROM has --platform=${platform}`);
    }
  },
};

const digestPin: DockerfileRule = {
  meta: {
    id: 'BW-DF-5001', aliases: [], severity: 'LOW', title: 'Base image is not pinned by digest',
    description: 'The publisher, or whoever controls the registry, can move a tag to another image. Only a digest names exactly one image. Turned on by `dockerfile.requireDigest: true`.',
    resolution: 'Add the digest: `FROM debian:12.8@sha256:…`, and let a bot such as Renovate update it.',
    examples: { bad: 'FROM debian:12.8', good: 'FROM debian:12.8@sha256:10901ccd8d249047f9761845b4594f121edef079cfd8224edebd9ea726f0a7f6' },
  },
  check(context) {
    if (!context.settings.requireDigest) return;
    for (const stage of context.file.stages) {
      if (!isExternalImage(stage)) continue;
      if (parseImageReference(stage.image).digest === undefined) context.report(stage.from, `image "${stage.image}" is not pinned by digest`);
    }
  },
};

export const baseImageRules: DockerfileRule[] = [untagged, latestTag, untrustedRegistry, platformFlag, digestPin];
