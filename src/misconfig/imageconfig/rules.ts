import type { RuleMetadata } from '../../model/misconfiguration.js';

const DOCKLE_CHECKPOINTS = 'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md';

/** The IDs of the image config and history rules. */
export type ImageRuleId =
  | 'image/root-user'
  | 'image/no-healthcheck'
  | 'image/secret-in-config'
  | 'image/latest-base'
  | 'image/setuid-added'
  | 'image/setuid-file'
  | 'image/package-cache'
  | 'image/sudo'
  | 'image/add-url'
  | 'image/credential-file'
  | 'image/sensitive-volume'
  | 'image/unneeded-files';

/**
 * The rules, with the dockle checkpoint codes that check the same thing as aliases. Dockle's FATAL
 * maps to CRITICAL or HIGH, WARN to MEDIUM and INFO to LOW.
 */
const RULES: Record<ImageRuleId, Omit<RuleMetadata, 'id'>> = {
  'image/root-user': {
    aliases: ['CIS-DI-0001'],
    severity: 'HIGH',
    title: 'Image runs as root',
    description: 'A container that runs as root turns any escape from the application into root on the container and widens what a kernel or runtime bug can reach.',
    resolution: 'Create an unprivileged user in the Dockerfile and end the final stage with USER <name or UID>.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'FROM debian:12\nCMD ["app"]', good: 'FROM debian:12\nRUN useradd --system --uid 10001 app\nUSER 10001\nCMD ["app"]' },
  },
  'image/no-healthcheck': {
    aliases: ['CIS-DI-0006'],
    severity: 'LOW',
    title: 'Image has no HEALTHCHECK',
    description: 'Without a health check, Docker and Swarm cannot tell a hung container from a working one and never restart it.',
    resolution: 'Add HEALTHCHECK CMD <probe> and build in Docker format; OCI images cannot carry one, so declare the probe in the orchestrator (Kubernetes liveness and readiness probes) instead.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'CMD ["app"]', good: 'HEALTHCHECK --interval=30s CMD ["app", "--health"]\nCMD ["app"]' },
  },
  'image/secret-in-config': {
    aliases: ['CIS-DI-0010'],
    severity: 'CRITICAL',
    title: 'Secret stored in the image config',
    description: 'Environment variables, labels and build history are readable by anyone who can pull the image, so a secret put there is leaked to every registry and host the image reaches.',
    resolution: 'Pass secrets at run time (orchestrator secrets, mounted files) or at build time with RUN --mount=type=secret, and rotate any secret that was published in an image.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'ENV DB_PASSWORD=hunter2', good: 'RUN --mount=type=secret,id=db_password ./configure' },
  },
  'image/latest-base': {
    aliases: ['DKL-DI-0006'],
    severity: 'MEDIUM',
    title: 'Base image is latest or untagged',
    description: 'A base image named by the latest tag, or by no tag, changes under the build, so two builds of the same Dockerfile give different images.',
    resolution: 'Name the base image by a version tag, and preferably by digest as well (debian:12.8@sha256:...).',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'FROM debian:latest', good: 'FROM debian:12.8' },
  },
  'image/setuid-added': {
    aliases: ['CIS-DI-0008'],
    severity: 'MEDIUM',
    title: 'Setuid or setgid file added on top of the base image',
    description: 'A setuid or setgid program runs with its owner\'s or group\'s privileges, so one added by the image is a privilege escalation path the base image did not have.',
    resolution: 'Remove the setuid and setgid bits in the layer that adds the file (chmod u-s,g-s FILE), or do not install it.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'RUN chmod 4755 /usr/local/bin/tool', good: 'RUN chmod 0755 /usr/local/bin/tool' },
  },
  'image/setuid-file': {
    aliases: ['CIS-DI-0008'],
    severity: 'LOW',
    title: 'Setuid or setgid file in the image',
    description: 'A setuid or setgid program runs with its owner\'s or group\'s privileges and is a privilege escalation path when it has a flaw. Most containers need none of them.',
    resolution: 'Remove the bits from programs the container does not need (RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +), or run with no-new-privileges.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'FROM debian:12', good: 'FROM debian:12\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +' },
  },
  'image/package-cache': {
    aliases: ['DKL-DI-0004', 'DKL-DI-0005'],
    severity: 'LOW',
    title: 'Package manager cache left in the image',
    description: 'Package lists, downloaded packages and pip or npm caches make the image larger and hold metadata that the running container never needs.',
    resolution: 'Clean the cache in the same RUN that fills it (apt-get clean && rm -rf /var/lib/apt/lists/*, apk add --no-cache, pip install --no-cache-dir, npm cache clean --force).',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: {
      bad: 'RUN apt-get update && apt-get install -y curl',
      good: 'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    },
  },
  'image/sudo': {
    aliases: ['DKL-DI-0001'],
    severity: 'MEDIUM',
    title: 'sudo installed or used in the image',
    description: 'sudo has unpredictable TTY and signal-forwarding behavior in containers, and an installed sudo is a privilege escalation path for the container user.',
    resolution: 'Do not install sudo. Run build steps that need root before USER, and use gosu or setpriv where an entrypoint must drop privileges.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'RUN apt-get install -y sudo', good: 'USER root\nRUN apt-get install -y curl\nUSER app' },
  },
  'image/add-url': {
    aliases: ['CIS-DI-0009'],
    severity: 'MEDIUM',
    title: 'ADD downloads from a URL',
    description: 'ADD with a URL fetches content at build time without checking it, so the image contains whatever the server returned that day.',
    resolution: 'Download with curl or wget in a RUN step and verify a checksum, or use ADD --checksum=sha256:... with BuildKit.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'ADD https://example.com/tool.tar.gz /opt/', good: 'RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tar.gz && echo "<sha256>  /tmp/tool.tgz" | sha256sum -c -' },
  },
  'image/credential-file': {
    aliases: ['CIS-DI-0010'],
    severity: 'HIGH',
    title: 'Credential file in the image',
    description: 'Private keys, cloud credentials and registry or package tokens in the file system are readable by anyone who pulls the image.',
    resolution: 'Do not copy credential files into the build context. Use RUN --mount=type=secret or --mount=type=ssh for build steps that need them, and rotate credentials that were published.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'COPY .aws/credentials /root/.aws/credentials', good: 'RUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws s3 cp ...' },
  },
  'image/sensitive-volume': {
    aliases: ['DKL-DI-0002'],
    severity: 'HIGH',
    title: 'Volume on a sensitive host directory',
    description: 'A VOLUME on /dev, /proc or /sys invites mounting the host\'s directory there, which exposes host devices and kernel interfaces to the container.',
    resolution: 'Remove the VOLUME instruction; mount what the container needs at run time, read-only where possible.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'VOLUME /sys', good: 'VOLUME /data' },
  },
  'image/unneeded-files': {
    aliases: ['DKL-LI-0003'],
    severity: 'LOW',
    title: 'Version control or editor files in the image',
    description: 'A .git folder carries the source history, which may include removed secrets, and editor folders carry local settings. Neither is needed at run time.',
    resolution: 'List .git, .idea, .vscode and .DS_Store in .dockerignore, or copy only the paths the image needs.',
    helpUri: DOCKLE_CHECKPOINTS,
    examples: { bad: 'COPY . /app', good: '# .dockerignore: .git .idea .vscode .DS_Store\nCOPY . /app' },
  },
};

/** Returns the metadata of one rule. */
export function imageRule(id: ImageRuleId): RuleMetadata {
  return { id, ...RULES[id] };
}

/** Returns the metadata of every image config rule, sorted by ID. */
export function imageConfigRules(): RuleMetadata[] {
  return (Object.keys(RULES) as ImageRuleId[]).sort().map(imageRule);
}
