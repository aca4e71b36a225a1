import type { ConfigScanner } from './config-scanner.js';
import { dockerfileScanner } from './dockerfile/index.js';
import { kubernetesScanner } from './kubernetes/index.js';

/** The config scanners of `bulwark config`, in the order their results are produced. */
export const configScanners: readonly ConfigScanner[] = [dockerfileScanner, kubernetesScanner];
