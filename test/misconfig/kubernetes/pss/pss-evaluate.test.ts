import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseManifest } from '../../../../src/misconfig/kubernetes/manifest-parser.js';
import { podTemplateOf } from '../../../../src/misconfig/kubernetes/pod-template.js';
import { evaluatePod } from '../../../../src/misconfig/kubernetes/pss/pss-evaluate.js';
import { pssVersion, type PssLevel } from '../../../../src/misconfig/kubernetes/pss/pss-version.js';

type Json = Record<string, any>;

/** A pod that passes restricted at every version: the starting point that each case breaks once. */
function compliantPod(): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'case', annotations: {} },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', image: 'app:1.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      initContainers: [{ name: 'init', image: 'init:1.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

function failingChecks(manifest: Json, level: PssLevel, version = 'latest'): string[] {
  const [object] = parseManifest('pod.json', JSON.stringify(manifest)).objects;
  const pod = podTemplateOf(object!);
  assert.ok(pod);
  return evaluatePod(pod, level, pssVersion(version)).map((result) => result.check.id).sort();
}

/**
 * One case per control of the "Pod Security Standards" page of the Kubernetes documentation: a
 * change to the compliant pod, and the checks it fails at baseline and at restricted (latest).
 * An empty list means the pod is allowed at that level.
 */
const CASES: Array<[name: string, change: (pod: Json) => void, baseline: string[], restricted: string[]]> = [
  ['compliant pod', () => {}, [], []],
  // Baseline: HostProcess.
  ['pod hostProcess', (pod) => { pod.spec.securityContext.windowsOptions = { hostProcess: true }; }, ['windowsHostProcess'], ['windowsHostProcess']],
  ['container hostProcess', (pod) => { pod.spec.containers[0].securityContext.windowsOptions = { hostProcess: true }; }, ['windowsHostProcess'], ['windowsHostProcess']],
  ['hostProcess false', (pod) => { pod.spec.securityContext.windowsOptions = { hostProcess: false }; }, [], []],
  // Baseline: Host Namespaces.
  ['hostNetwork', (pod) => { pod.spec.hostNetwork = true; }, ['hostNamespaces'], ['hostNamespaces']],
  ['hostPID', (pod) => { pod.spec.hostPID = true; }, ['hostNamespaces'], ['hostNamespaces']],
  ['hostIPC', (pod) => { pod.spec.hostIPC = true; }, ['hostNamespaces'], ['hostNamespaces']],
  ['hostNetwork false', (pod) => { pod.spec.hostNetwork = false; }, [], []],
  // Baseline: Privileged Containers.
  ['privileged container', (pod) => { pod.spec.containers[0].securityContext.privileged = true; }, ['privileged'], ['privileged']],
  ['privileged init container', (pod) => { pod.spec.initContainers[0].securityContext.privileged = true; }, ['privileged'], ['privileged']],
  ['privileged false', (pod) => { pod.spec.containers[0].securityContext.privileged = false; }, [], []],
  // Baseline: Capabilities.
  ['adds SYS_ADMIN', (pod) => { pod.spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']; }, ['capabilities_baseline'], ['capabilities_baseline', 'capabilities_restricted']],
  ['adds CHOWN', (pod) => { pod.spec.containers[0].securityContext.capabilities.add = ['CHOWN']; }, [], ['capabilities_restricted']],
  ['adds NET_BIND_SERVICE', (pod) => { pod.spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE']; }, [], []],
  // Baseline: HostPath Volumes (restricted reports it as a restricted volume type).
  ['hostPath volume', (pod) => { pod.spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }, ['hostPathVolumes'], ['restrictedVolumes']],
  // Baseline: Host Ports.
  ['hostPort', (pod) => { pod.spec.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }]; }, ['hostPorts'], ['hostPorts']],
  ['hostPort 0', (pod) => { pod.spec.containers[0].ports = [{ containerPort: 80, hostPort: 0 }]; }, [], []],
  // Baseline: AppArmor.
  ['AppArmor Unconfined field', (pod) => { pod.spec.securityContext.appArmorProfile = { type: 'Unconfined' }; }, ['appArmorProfile'], ['appArmorProfile']],
  ['AppArmor Localhost field', (pod) => { pod.spec.containers[0].securityContext.appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-app' }; }, [], []],
  ['AppArmor unconfined annotation', (pod) => { pod.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'; }, ['appArmorProfile'], ['appArmorProfile']],
  ['AppArmor runtime/default annotation', (pod) => { pod.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'runtime/default'; }, [], []],
  // Baseline: SELinux.
  ['SELinux type spc_t', (pod) => { pod.spec.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' }; }, ['seLinuxOptions'], ['seLinuxOptions']],
  ['SELinux user', (pod) => { pod.spec.securityContext.seLinuxOptions = { user: 'system_u' }; }, ['seLinuxOptions'], ['seLinuxOptions']],
  ['SELinux type container_t and level', (pod) => { pod.spec.securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c123,c456' }; }, [], []],
  // Baseline: /proc Mount Type.
  ['procMount Unmasked', (pod) => { pod.spec.containers[0].securityContext.procMount = 'Unmasked'; }, ['procMount_baseline'], ['procMount_restricted']],
  ['procMount Default', (pod) => { pod.spec.containers[0].securityContext.procMount = 'Default'; }, [], []],
  // Baseline: Seccomp.
  ['seccomp Unconfined on pod', (pod) => { pod.spec.securityContext.seccompProfile = { type: 'Unconfined' }; }, ['seccompProfile_baseline'], ['seccompProfile_restricted']],
  ['seccomp Unconfined on container', (pod) => { pod.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; }, ['seccompProfile_baseline'], ['seccompProfile_restricted']],
  // Baseline: Sysctls.
  ['unsafe sysctl', (pod) => { pod.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; }, ['sysctls'], ['sysctls']],
  ['safe sysctl', (pod) => { pod.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '32768 60999' }]; }, [], []],
  // Baseline (1.34+): probe and lifecycle hosts.
  ['probe host', (pod) => { pod.spec.containers[0].livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } }; }, ['hostProbesAndHostLifecycle'], ['hostProbesAndHostLifecycle']],
  ['lifecycle host', (pod) => { pod.spec.containers[0].lifecycle = { preStop: { tcpSocket: { host: 'db', port: 5432 } } }; }, ['hostProbesAndHostLifecycle'], ['hostProbesAndHostLifecycle']],
  // Restricted: Volume Types.
  ['nfs volume', (pod) => { pod.spec.volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }, [], ['restrictedVolumes']],
  ['projected and pvc volumes', (pod) => { pod.spec.volumes.push({ name: 'p', projected: { sources: [] } }, { name: 'c', persistentVolumeClaim: { claimName: 'c' } }); }, [], []],
  ['volume with no source', (pod) => { pod.spec.volumes.push({ name: 'defaulted' }); }, [], []],
  ['image volume', (pod) => { pod.spec.volumes.push({ name: 'model', image: { reference: 'registry.example.com/model:1' } }); }, [], []],
  // Restricted: Privilege Escalation.
  ['allowPrivilegeEscalation unset', (pod) => { delete pod.spec.containers[0].securityContext.allowPrivilegeEscalation; }, [], ['allowPrivilegeEscalation']],
  ['allowPrivilegeEscalation true', (pod) => { pod.spec.initContainers[0].securityContext.allowPrivilegeEscalation = true; }, [], ['allowPrivilegeEscalation']],
  // Restricted: Running as Non-root.
  ['runAsNonRoot unset', (pod) => { delete pod.spec.securityContext.runAsNonRoot; }, [], ['runAsNonRoot']],
  ['runAsNonRoot on every container', (pod) => {
    delete pod.spec.securityContext.runAsNonRoot;
    pod.spec.containers[0].securityContext.runAsNonRoot = true;
    pod.spec.initContainers[0].securityContext.runAsNonRoot = true;
  }, [], []],
  ['container runAsNonRoot false', (pod) => { pod.spec.containers[0].securityContext.runAsNonRoot = false; }, [], ['runAsNonRoot']],
  // Restricted: Running as Non-root user.
  ['runAsUser 0', (pod) => { pod.spec.containers[0].securityContext.runAsUser = 0; }, [], ['runAsUser']],
  ['runAsUser 1000', (pod) => { pod.spec.securityContext.runAsUser = 1000; }, [], []],
  // Restricted: Seccomp.
  ['seccomp unset', (pod) => { delete pod.spec.securityContext.seccompProfile; }, [], ['seccompProfile_restricted']],
  ['seccomp Localhost on containers', (pod) => {
    delete pod.spec.securityContext.seccompProfile;
    pod.spec.containers[0].securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' };
    pod.spec.initContainers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
  }, [], []],
  // Restricted: Capabilities.
  ['drop not ALL', (pod) => { pod.spec.containers[0].securityContext.capabilities.drop = ['NET_RAW']; }, [], ['capabilities_restricted']],
  ['ephemeral container without drop', (pod) => {
    pod.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: false } }];
  }, [], ['capabilities_restricted']],
];

describe('evaluatePod', () => {
  for (const [name, change, baseline, restricted] of CASES) {
    it(`${name}: baseline`, () => {
      const pod = compliantPod();
      change(pod);
      assert.deepEqual(failingChecks(pod, 'baseline'), baseline);
    });
    it(`${name}: restricted`, () => {
      const pod = compliantPod();
      change(pod);
      assert.deepEqual(failingChecks(pod, 'restricted'), restricted);
    });
  }

  it('privileged level allows everything', () => {
    const pod = compliantPod();
    pod.spec.hostNetwork = true;
    pod.spec.containers[0].securityContext.privileged = true;
    assert.deepEqual(failingChecks(pod, 'privileged'), []);
  });
});

describe('evaluatePod versions', () => {
  it('runAsUser 0 is allowed before 1.23', () => {
    const pod = compliantPod();
    pod.spec.securityContext.runAsUser = 0;
    assert.deepEqual(failingChecks(pod, 'restricted', 'v1.22'), []);
    assert.deepEqual(failingChecks(pod, 'restricted', 'v1.23'), ['runAsUser']);
  });

  it('capabilities are not restricted before 1.22', () => {
    const pod = compliantPod();
    pod.spec.containers[0].securityContext.capabilities = {};
    assert.deepEqual(failingChecks(pod, 'restricted', 'v1.21'), []);
    assert.deepEqual(failingChecks(pod, 'restricted', 'v1.22'), ['capabilities_restricted']);
  });

  it('sysctl allow list grows with the version', () => {
    const pod = compliantPod();
    pod.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }, { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }];
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.28'), ['sysctls']);
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.31'), ['sysctls']);
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.32'), []);
  });

  it('probe hosts are allowed before 1.34', () => {
    const pod = compliantPod();
    pod.spec.containers[0].readinessProbe = { tcpSocket: { host: 'example.com', port: 80 } };
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.33'), []);
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.34'), ['hostProbesAndHostLifecycle']);
  });

  it('windows pods skip Linux-only restricted checks since 1.25', () => {
    const pod = compliantPod();
    pod.spec.os = { name: 'windows' };
    delete pod.spec.securityContext.seccompProfile;
    pod.spec.containers[0].securityContext = {};
    pod.spec.initContainers[0].securityContext = {};
    assert.deepEqual(failingChecks(pod, 'restricted', 'v1.25'), []);
    assert.deepEqual(failingChecks(pod, 'restricted', 'v1.24'), ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
  });

  it('user namespaces allow procMount at baseline since 1.35', () => {
    const pod = compliantPod();
    pod.spec.hostUsers = false;
    pod.spec.containers[0].securityContext.procMount = 'Unmasked';
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.34'), ['procMount_baseline']);
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.35'), []);
    assert.deepEqual(failingChecks(pod, 'restricted', 'v1.35'), ['procMount_restricted']);
  });

  it('seccomp annotations count before 1.19', () => {
    const pod = compliantPod();
    pod.metadata.annotations['seccomp.security.alpha.kubernetes.io/pod'] = 'unconfined';
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.18'), ['seccompProfile_baseline']);
    assert.deepEqual(failingChecks(pod, 'baseline', 'v1.19'), []);
  });

  it('newer versions evaluate as latest', () => {
    assert.equal(pssVersion('v1.99').version, pssVersion('latest').version);
  });

  it('rejects malformed versions', () => {
    assert.throws(() => pssVersion('1.x'), { code: 'USAGE' });
    assert.throws(() => pssVersion('v2.0'), { code: 'USAGE' });
  });
});

describe('evaluatePod messages', () => {
  it('names containers the way the controller does', () => {
    const pod = compliantPod();
    delete pod.spec.containers[0].securityContext.allowPrivilegeEscalation;
    delete pod.spec.initContainers[0].securityContext.allowPrivilegeEscalation;
    const [object] = parseManifest('pod.json', JSON.stringify(pod)).objects;
    const [result] = evaluatePod(podTemplateOf(object!)!, 'restricted', pssVersion('latest'));
    assert.equal(result!.violation.reason, 'allowPrivilegeEscalation != false');
    // The controller's visitContainers (pod-security-admission policy/visitor.go) visits init
    // containers, then containers, then ephemeral containers.
    assert.equal(result!.violation.detail, 'containers "init", "app" must set securityContext.allowPrivilegeEscalation=false');
    assert.deepEqual(result!.violation.fields[0], ['spec', 'initContainers', 0, 'securityContext', 'allowPrivilegeEscalation']);
  });

  it('reports explicit bad values before missing ones', () => {
    const pod = compliantPod();
    delete pod.spec.securityContext.seccompProfile;
    pod.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' };
    const [object] = parseManifest('pod.json', JSON.stringify(pod)).objects;
    const results = evaluatePod(podTemplateOf(object!)!, 'restricted', pssVersion('latest'));
    assert.equal(results.length, 1);
    assert.equal(results[0]!.violation.detail, 'container "app" must not set securityContext.seccompProfile.type to "Unconfined"');
  });

  it('names containers missing a value', () => {
    const pod = compliantPod();
    delete pod.spec.securityContext.runAsNonRoot;
    pod.spec.containers[0].securityContext.runAsNonRoot = true;
    const [object] = parseManifest('pod.json', JSON.stringify(pod)).objects;
    const [result] = evaluatePod(podTemplateOf(object!)!, 'restricted', pssVersion('latest'));
    assert.equal(result!.violation.detail, 'pod or container "init" must set securityContext.runAsNonRoot=true');
  });
});
