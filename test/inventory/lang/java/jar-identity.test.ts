import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileNameIdentity, manifestIdentity, parseManifest } from '../../../../src/inventory/lang/java/jar-identity.js';
import { sharedPath } from '../../../helpers/shared.js';

const hdrManifest = sharedPath('fixtures', 'lang', 'java', 'HdrHistogram-2.1.9', 'META-INF', 'MANIFEST.MF');
const eclipseManifest = sharedPath('fixtures', 'lang', 'java', 'scancode-manifest-1', 'META-INF', 'MANIFEST.MF');

test('HdrHistogram manifest identity', { skip: hdrManifest.skip }, () => {
  const attributes = parseManifest(readFileSync(hdrManifest.path, 'utf8'));
  assert.equal(attributes.get('bundle-symbolicname'), 'org.hdrhistogram.HdrHistogram');
  // The wrapped Bundle-Description is joined without the continuation spaces.
  assert.match(attributes.get('bundle-description') ?? '', /^HdrHistogram supports the recording and analyzing sampled data value {8}counts/);
  assert.deepEqual(manifestIdentity(attributes), { groupId: 'org.hdrhistogram', artifactId: 'HdrHistogram', version: '2.1.9' });
});

test('Eclipse bundle manifest identity', { skip: eclipseManifest.skip }, () => {
  const attributes = parseManifest(readFileSync(eclipseManifest.path, 'utf8'));
  // Per-entry sections after the first empty line are not main attributes.
  assert.equal(attributes.get('sha1-digest'), undefined);
  assert.equal(attributes.get('name'), undefined);
  assert.equal(attributes.get('bundle-activator'), 'org.eclipse.ui.internal.intro.universal.UniversalIntroPlugin');
  // Bundle-Name is the localisation key %plugin_name, so the symbolic name is the artifact.
  assert.deepEqual(manifestIdentity(attributes), { artifactId: 'org.eclipse.ui.intro.universal', version: '3.2.200.v20080508-patch01' });
});

test('manifest identity fallbacks', () => {
  const identity = (text: string): unknown => manifestIdentity(parseManifest(text));
  assert.deepEqual(identity('Specification-Title: api\r\nSpecification-Version: 2.0\r\n'), { artifactId: 'api', version: '2.0' });
  assert.deepEqual(identity('Implementation-Title: x\nImplementation-Vendor: The Apache Software Foundation\nBundle-Version: 1.1\n'), {
    artifactId: 'x',
    version: '1.1',
  });
  assert.equal(identity('Implementation-Title: x\n'), undefined);
  assert.equal(identity('Manifest-Version: 1.0\nCreated-By: Maven\n'), undefined);
});

test('file name identity', () => {
  const cases: Array<[string, string | undefined]> = [
    ['lib/guava-31.1-jre.jar', 'guava 31.1-jre'],
    ['log4j-1.2-api-2.17.1.jar', 'log4j-1.2-api 2.17.1'],
    ['netty-codec-http2-4.1.77.Final.JAR', 'netty-codec-http2 4.1.77.Final'],
    ['git-5.2.1.hpi', 'git 5.2.1'],
    ['app.jar', undefined],
    ['my-app.war', undefined],
  ];
  for (const [name, expected] of cases) {
    const identity = fileNameIdentity(name);
    assert.equal(identity && `${identity.artifactId} ${identity.version}`, expected, name);
  }
});
