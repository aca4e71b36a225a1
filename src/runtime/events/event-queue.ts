import type { RuntimeEvent } from '../fields/field-types.js';

/**
 * An unbounded queue of events that a push source (a webhook) fills and the rule engine reads as
 * an async iterable. Iteration ends after `close()` once the queue is drained.
 */
export class EventQueue implements AsyncIterable<RuntimeEvent> {
  private readonly buffered: RuntimeEvent[] = [];
  private waiting: ((result: IteratorResult<RuntimeEvent>) => void) | undefined;
  private closed = false;

  push(event: RuntimeEvent): void {
    if (this.closed) return;
    const waiter = this.waiting;
    if (waiter !== undefined) {
      this.waiting = undefined;
      waiter({ value: event, done: false });
    } else this.buffered.push(event);
  }

  close(): void {
    this.closed = true;
    const waiter = this.waiting;
    this.waiting = undefined;
    waiter?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<RuntimeEvent> {
    return {
      next: () => {
        const event = this.buffered.shift();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
    };
  }
}
