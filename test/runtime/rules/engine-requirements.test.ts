import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { checkPluginRequirement, compareEngineSemver, ENGINE_VERSION, parseRequiredEngineVersion } from '../../../src/runtime/rules/engine-requirements.js';

describe('parseRequiredEngineVersion', () => {
  // [value as YAML gives it, expected x.y.z or undefined]
  const cases: [unknown, string | undefined][] = [
    ['0.57.0', '0.57.0'],
    [15, '0.15.0'],
    ['15', '0.15.0'],
    ['1.2.3', '1.2.3'],
    [0.57, undefined],
    ['0.57', undefined],
    ['v0.57.0', undefined],
    [-1, undefined],
    [null, undefined],
  ];
  for (const [value, expected] of cases) {
    it(`reads ${JSON.stringify(value)}`, () => {
      const parsed = parseRequiredEngineVersion(value);
      assert.equal(parsed === undefined ? undefined : `${parsed.major}.${parsed.minor}.${parsed.patch}`, expected);
    });
  }

  it('accepts what the upstream files require', () => {
    assert.ok(compareEngineSemver(parseRequiredEngineVersion('0.57.0') ?? ENGINE_VERSION, ENGINE_VERSION) <= 0);
    assert.ok(compareEngineSemver(parseRequiredEngineVersion(15) ?? ENGINE_VERSION, ENGINE_VERSION) < 0);
  });
});

describe('checkPluginRequirement', () => {
  it('meets older versions of the same major', () => {
    assert.equal(checkPluginRequirement([{ name: 'k8saudit', version: '0.18.0' }]), undefined);
    assert.equal(checkPluginRequirement([{ name: 'k8saudit', version: '0.1.0' }]), undefined);
    assert.equal(checkPluginRequirement([{ name: 'container', version: '0.4.0' }]), undefined);
  });

  it('rejects newer or other-major versions', () => {
    assert.match(checkPluginRequirement([{ name: 'k8saudit', version: '0.19.0' }]) ?? '', /'k8saudit' 0\.19\.0 is required/);
    assert.match(checkPluginRequirement([{ name: 'json', version: '1.0.0' }]) ?? '', /'json' 1\.0\.0 is required/);
  });

  it('takes the first built-in alternative', () => {
    assert.equal(checkPluginRequirement([{ name: 'k8saudit-gke', version: '0.9.0' }, { name: 'k8saudit', version: '0.18.0' }]), undefined);
  });

  it('names plugins that are not built in', () => {
    assert.match(checkPluginRequirement([{ name: 'cloudtrail', version: '0.1.0' }]) ?? '', /need one of cloudtrail \(>= 0\.1\.0\).*only container 0\.4\.0, k8saudit 0\.18\.0, json 0\.7\.0 are built in/);
  });
});
