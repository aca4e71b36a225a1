import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

import { BulwarkError } from '../../errors.js';
import { EventQueue } from '../events/event-queue.js';
import type { CompiledRule } from '../rules/rule-types.js';
import { parseBpftraceLine, parseLostEventsMessage } from './bpftrace-output.js';
import { checkLivePrerequisites, listSyscallTracepoints, spawnBpftrace, type BpftraceCommandOptions } from './bpftrace-runner.js';
import { generateBpftraceScript, planSyscalls, type ScriptPlan } from './bpftrace-script.js';
import { ContainerMetadataCache, type InspectCommand } from './container-metadata.js';
import { LineSplitter } from './line-splitter.js';
import { LiveEventBuilder } from './live-event-builder.js';
import { PolledFifo } from './polled-fifo.js';
import { ProcessTable } from './process-table.js';
import { UserNames } from './user-names.js';

/** Counters of a live capture, as printed in the exit summary and the JSON stats. */
export interface LiveStats {
  /** Syscall exits read from bpftrace, excluded ones included. */
  captured: number;
  /** Events bpftrace reported as lost because its ring buffers were full. */
  dropped: number;
  /** bpftrace lines that did not parse; skipped. */
  malformed: number;
  /** Events of bulwark's own process tree, dropped. */
  excluded: number;
  /** Events whose process exited before /proc could be read: they carry the tracepoint's ids and comm only. */
  partiallyEnriched: number;
  /**
   * Delay from the syscall's exit to the event's processing, in nanoseconds, over the events
   * processed before the stop: bpftrace hands over its last lines only while it detaches.
   */
  lagMaxNs: number;
  lagTotalNs: number;
  /** The events the lag figures cover. */
  lagSamples: number;
}

export interface LiveCaptureOptions extends BpftraceCommandOptions {
  /** The loaded rules; their event types choose the traced calls. */
  rules: readonly CompiledRule[];
  /** Called for each bpftrace message on stderr that is not the known RLIMIT_MEMLOCK warning. */
  onMessage?: (message: string) => void;
  /** Called for each malformed line with the reason. */
  onMalformed?: (message: string) => void;
  procRoot?: string;
  inspect?: InspectCommand;
}

/** How long bpftrace may take to compile and attach before the capture fails, in milliseconds. */
const ATTACH_TIMEOUT_MS = 120_000;
/** How long bpftrace may take to stop after SIGINT before it is killed, in milliseconds. */
const STOP_TIMEOUT_MS = 5_000;
/** The maximum bpftrace line length read, in characters: far above the longest printf line, a 200-byte string with every byte escaped. */
const MAX_LINE_LENGTH = 64 * 1024;

/**
 * A running live capture: bpftrace with a script generated for the rules, its output turned into
 * enriched `syscall` events. Iterate `events`; call `stop()` to detach and end the iteration.
 */
export class LiveCapture {
  readonly stats: LiveStats = { captured: 0, dropped: 0, malformed: 0, excluded: 0, partiallyEnriched: 0, lagMaxNs: 0, lagTotalNs: 0, lagSamples: 0 };
  readonly events = new EventQueue();
  readonly plan: ScriptPlan;
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  /** Resolves once everything bpftrace wrote has been read. */
  private readonly drained: Promise<void>;
  private stopping = false;
  private readonly fifo: PolledFifo;

  private constructor(plan: ScriptPlan, child: ChildProcess, fifo: PolledFifo, drained: Promise<void>) {
    this.plan = plan;
    this.child = child;
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    child.once('error', () => undefined);
    void this.exited.then(() => fifo.writerDone());
    this.fifo = fifo;
    this.drained = drained.then(() => this.events.close());
  }

  /** Checks the prerequisites, starts bpftrace and resolves once its probes are attached. */
  static async start(options: LiveCaptureOptions): Promise<LiveCapture> {
    checkLivePrerequisites(options);
    const available = await listSyscallTracepoints(options);
    const plan = planSyscalls(options.rules, { available });
    const script = generateBpftraceScript(plan, { excludedPid: process.pid });
    const monotonicNow = process.hrtime.bigint();
    const builder = new LiveEventBuilder({
      processes: new ProcessTable(options.procRoot === undefined ? {} : { procRoot: options.procRoot }),
      users: new UserNames(options.procRoot),
      containers: new ContainerMetadataCache(options.inspect),
      excludedPid: process.pid,
      // process.hrtime reads CLOCK_MONOTONIC on Linux, the clock of bpftrace's nsecs.
      clockOffsetNs: BigInt(Date.now()) * 1_000_000n - monotonicNow,
      ...(options.procRoot === undefined ? {} : { procRoot: options.procRoot }),
    });
    let capture: LiveCapture | undefined;
    let endOfOutput: () => void = () => undefined;
    const drained = new Promise<void>((resolve) => (endOfOutput = resolve));
    const lines = new LineSplitter((line) => capture?.handleLine(line, builder, options), {
      maxLineLength: MAX_LINE_LENGTH,
      onOverlong: () => {
        if (capture !== undefined) capture.stats.malformed++;
        options.onMalformed?.(`line longer than ${MAX_LINE_LENGTH} characters`);
      },
    });
    const fifo = PolledFifo.open({
      onChunk: (chunk) => lines.push(chunk),
      onEnd: () => {
        lines.end();
        endOfOutput();
      },
      onError: (error) => options.onMessage?.(`reading bpftrace output failed: ${error.message}`),
    });
    const child = spawnBpftrace(script, fifo.path, options);
    capture = new LiveCapture(plan, child, fifo, drained);
    try {
      await capture.attached(child, options);
    } catch (error) {
      fifo.close();
      throw error;
    }
    return capture;
  }

  private attached(child: ChildProcess, options: LiveCaptureOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      let stderr = '';
      let done = false;
      const finish = (error?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const timer = setTimeout(() => finish(new BulwarkError('TIMEOUT', `bpftrace did not attach its probes within ${ATTACH_TIMEOUT_MS / 1000} s`)), ATTACH_TIMEOUT_MS);
      // NOTE: bpftrace reports its probes when it starts attaching them, so calls made in the
      // first moment after "live capture started" may not be traced yet.
      this.onAttached = () => finish();
      // bpftrace prints compile warnings as three lines: the message, the source line and a caret line.
      let warningLinesLeft = 0;
      createInterface({ input: child.stderr as NodeJS.ReadableStream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        const lost = parseLostEventsMessage(line);
        if (lost !== undefined) {
          this.stats.dropped += lost;
          return;
        }
        // bpftrace 0.17 warns about RLIMIT_MEMLOCK on kernels that account BPF memory by cgroup, and runs anyway.
        if (line.includes('RLIMIT_MEMLOCK') || line.trim() === '') return;
        if (/^stdin:\d+:\d+(-\d+)?: WARNING: Addrspace mismatch/.test(line)) warningLinesLeft = 3;
        if (warningLinesLeft > 0) {
          warningLinesLeft--;
          return;
        }
        if (!done && stderr.length < 8192) stderr += `${line}\n`;
        options.onMessage?.(line);
      });
      child.once('error', (error) => finish(new BulwarkError('IO', `could not start bpftrace: ${error.message}`, { cause: error })));
      void this.exited.then((code) => finish(new BulwarkError('IO', `bpftrace exited with code ${code} before attaching its probes: ${stderr.trim()}`)));
    });
  }

  private onAttached: () => void = () => undefined;

  private handleLine(line: string, builder: LiveEventBuilder, options: LiveCaptureOptions): void {
    if (line.trim() === '') return;
    const record = parseBpftraceLine(line, this.plan);
    switch (record.kind) {
      case 'attached':
        // bpftrace wrote this line to the FIFO, so it has the FIFO open and the name can go.
        this.fifo.removeName();
        this.onAttached();
        return;
      case 'lost':
        this.stats.dropped += record.count;
        return;
      case 'malformed':
        this.stats.malformed++;
        options.onMalformed?.(record.message);
        return;
      case 'ignored':
        return;
      case 'string':
        builder.addString(record);
        return;
      case 'fork':
        builder.processForked(record);
        return;
      case 'process-exit':
        builder.processExited(record.pid);
        return;
      case 'exit': {
        this.stats.captured++;
        const result = builder.build(record);
        if (!this.stopping) {
          const lag = Number(process.hrtime.bigint() - record.monotonicNs);
          this.stats.lagTotalNs += lag;
          this.stats.lagSamples++;
          if (lag > this.stats.lagMaxNs) this.stats.lagMaxNs = lag;
        }
        if (result.kind === 'excluded') {
          this.stats.excluded++;
          return;
        }
        if (result.partial) this.stats.partiallyEnriched++;
        this.events.push(result.event);
      }
    }
  }

  /** Stops bpftrace (SIGINT, then SIGKILL after 5 s) and ends the event iteration once its output is read. */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
    await this.drained;
  }
}

/** Formats live counters for the exit summary. */
export function formatLiveStats(stats: LiveStats): string {
  const handled = stats.captured - stats.excluded;
  const meanLagMs = stats.lagSamples === 0 ? 0 : stats.lagTotalNs / stats.lagSamples / 1e6;
  return [
    `Live syscall events captured: ${stats.captured} (${handled} handled, ${stats.excluded} from bulwark itself excluded)`,
    `Events dropped by bpftrace: ${stats.dropped}`,
    `Malformed bpftrace lines skipped: ${stats.malformed}`,
    `Events partially enriched (process gone before /proc was read): ${stats.partiallyEnriched}`,
    `Lag from syscall to processing before the stop: mean ${meanLagMs.toFixed(2)} ms, max ${(stats.lagMaxNs / 1e6).toFixed(2)} ms`,
  ].join('\n') + '\n';
}
