/** A start-up failure the operator can fix: what went wrong and what to do, printed as one line. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }

  get line(): string {
    return `${this.message}: ${this.hint}`;
  }
}
