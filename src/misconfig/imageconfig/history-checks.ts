import type { ImageConfig } from '../../artifact/source.js';
import type { Misconfiguration } from '../../model/misconfiguration.js';
import { summarizeCommand, type ImageHistory } from './history.js';
import { imageFinding } from './input.js';

/** The label that BuildKit and OCI tooling use to record the base image name. */
const BASE_NAME_LABEL = 'org.opencontainers.image.base.name';
/** The ADD instruction in a `created_by` command. */
const ADD_WORD = /(^|\s)ADD\s/;
/** A remote source after ADD: a URL or a git SSH address. */
const REMOTE_SOURCE = /(^|\s)((?:https?|ftp):\/\/\S+|git@\S+)/;
/** Steps that only set metadata, whose text may mention sudo without running it. */
const METADATA_STEP = /^(\/bin\/sh -c #\(nop\)|(ENV|LABEL|ARG|USER|CMD|ENTRYPOINT|EXPOSE|WORKDIR|VOLUME|STOPSIGNAL|HEALTHCHECK|ONBUILD|SHELL|MAINTAINER) )/;

/** The tag problem of an image reference, or undefined when it names a version or a digest. */
export function unpinnedTag(reference: string): 'latest' | 'untagged' | undefined {
  const name = reference.replace(/^docker:\/\//, '').trim();
  if (name === '' || name === 'scratch' || name.includes('@')) return undefined;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'untagged';
  return name.slice(colon + 1) === 'latest' ? 'latest' : undefined;
}

/**
 * Flags a base image named by `latest` or by no tag, from buildah's `FROM` history comment or the
 * `org.opencontainers.image.base.name` label. Images built by Docker record neither, so for them
 * this check finds nothing.
 */
export function checkBaseImage(history: ImageHistory, config: ImageConfig): Misconfiguration[] {
  const findings: Misconfiguration[] = [];
  if (history.baseReference !== undefined) {
    const problem = unpinnedTag(history.baseReference);
    if (problem) {
      const what = problem === 'latest' ? 'the latest tag' : 'no tag, which means latest';
      findings.push(imageFinding('image/latest-base', `history entry ${history.baseReferenceIndex} records the base image ${history.baseReference}, named by ${what}`));
    }
  }

  const label = config.config?.Labels?.[BASE_NAME_LABEL];
  if (typeof label === 'string' && label !== history.baseReference) {
    const problem = unpinnedTag(label);
    if (problem) findings.push(imageFinding('image/latest-base', `label ${BASE_NAME_LABEL} names the base image ${label}, ${problem === 'latest' ? 'by the latest tag' : 'with no tag'}`));
  }
  return findings;
}

/** Flags ADD steps that downloaded from a URL or cloned a git repository. */
export function checkAddUrl(history: ImageHistory): Misconfiguration[] {
  const findings: Misconfiguration[] = [];
  for (const step of history.steps) {
    const add = ADD_WORD.exec(step.createdBy);
    const remote = add ? REMOTE_SOURCE.exec(step.createdBy.slice(add.index + add[0].length - 1)) : null;
    if (remote) findings.push(imageFinding('image/add-url', `history entry ${step.index} adds ${summarizeCommand(remote[2]!)}: ${summarizeCommand(step.createdBy)}`));
  }
  return findings;
}

/** Flags RUN steps that run or install sudo. */
export function checkSudoInHistory(history: ImageHistory): Misconfiguration[] {
  const findings: Misconfiguration[] = [];
  for (const step of history.steps) {
    const command = step.createdBy.trim();
    if (command === '' || METADATA_STEP.test(command)) continue;
    const words = command.split(/[\s;&|()`]+/);
    if (words.includes('sudo')) findings.push(imageFinding('image/sudo', `history entry ${step.index} runs or installs sudo: ${summarizeCommand(command)}`));
  }
  return findings;
}
