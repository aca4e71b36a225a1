/** Thrown by a command to end the process with a code after it has printed its own message. */
export class ExitError extends Error {
  readonly exitCode: number;

  constructor(exitCode: number, message = `exit ${exitCode}`) {
    super(message);
    this.exitCode = exitCode;
    this.name = 'ExitError';
  }
}
