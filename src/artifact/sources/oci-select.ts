/**
 * Selection of one image manifest among the descriptors of an OCI index: by reference name
 * at the top level, then by platform.
 */
import { InputError, UsageError } from '../../errors.js';
import type { Platform } from '../source.js';
import { sameImageName } from './image-reference.js';
import type { Descriptor } from './oci-manifest.js';
import { formatPlatform, platformMatches } from '../platform.js';

/** The annotation that OCI image layouts use to name an image (a tag, or a full name). */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
/** The annotation that containerd and Docker 25+ exports use for the full image name. */
export const CONTAINERD_NAME_ANNOTATION = 'io.containerd.image.name';

/** Returns the names that a top-level descriptor records, full names first. */
export function descriptorNames(descriptor: Descriptor): string[] {
  const names: string[] = [];
  const full = descriptor.annotations[CONTAINERD_NAME_ANNOTATION];
  const ref = descriptor.annotations[REF_NAME_ANNOTATION];
  if (full !== undefined) names.push(full);
  if (ref !== undefined && ref !== full) names.push(ref);
  return names;
}

/**
 * Keeps the top-level descriptors whose ref name equals `reference`, or whose full image
 * name equals it after Docker-style normalization. Raises an InputError (NOT_FOUND) that lists
 * the names present when none match.
 */
export function filterByReference(descriptors: Descriptor[], reference: string, subject: string): Descriptor[] {
  const matches = descriptors.filter((descriptor) => {
    if (descriptor.annotations[REF_NAME_ANNOTATION] === reference) return true;
    const full = descriptor.annotations[CONTAINERD_NAME_ANNOTATION];
    return full !== undefined && sameImageName(full, reference);
  });
  if (matches.length === 0) {
    throw new InputError('NOT_FOUND', `${subject}: no image named "${reference}"; available: ${listNames(descriptors)}`);
  }
  return matches;
}

export interface SelectOptions {
  platform: Platform;
  /** True when the caller named the platform, so a single manifest of another platform is an error. */
  platformRequested: boolean;
  subject: string;
}

/**
 * Picks one descriptor. A single descriptor is taken whatever its platform unless the caller
 * named a platform and the descriptor records a different one. Among several, the first whose
 * platform matches wins, as in containerd. Raises a UsageError when several descriptors carry
 * no platform (the caller must name one by reference), and an InputError (NOT_FOUND) listing
 * the platforms present when none matches.
 */
export function selectDescriptor(descriptors: Descriptor[], options: SelectOptions): Descriptor {
  const { platform, platformRequested, subject } = options;
  if (descriptors.length === 0) throw new InputError('NOT_FOUND', `${subject}: the index lists no manifests`);

  if (descriptors.length === 1) {
    const only = descriptors[0]!;
    if (platformRequested && only.platform !== undefined && !platformMatches(platform, only.platform)) {
      throw new InputError('NOT_FOUND', `${subject}: the image is for ${formatPlatform(only.platform)}, not the requested ${formatPlatform(platform)}`);
    }
    return only;
  }

  const withPlatform = descriptors.filter((descriptor) => descriptor.platform !== undefined);
  if (withPlatform.length === 0) {
    throw new UsageError(`${subject}: the index contains ${descriptors.length} images; name one with path:reference (available: ${listNames(descriptors)})`);
  }
  const match = withPlatform.find((descriptor) => platformMatches(platform, descriptor.platform!));
  if (match === undefined) {
    const available = [...new Set(withPlatform.map((descriptor) => formatPlatform(descriptor.platform!)))].sort();
    throw new InputError('NOT_FOUND', `${subject}: no manifest for platform ${formatPlatform(platform)}; available: ${available.join(', ')}; choose one with the platform option`);
  }
  return match;
}

function listNames(descriptors: Descriptor[]): string {
  const names = descriptors.map((descriptor) => descriptorNames(descriptor)[0] ?? `(unnamed ${descriptor.digest.digest})`);
  return [...new Set(names)].sort().join(', ');
}
