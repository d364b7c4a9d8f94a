/**
 * Expected outcomes that are not errors travel as values with a stable `code` (DESIGN.md rule 6):
 * a covariate outside a model's population, an event after the horizon, a derived ke0.
 */
export interface Warning {
  /** Stable machine-readable code, e.g. `outside-population`. */
  readonly code: string;
  /** One sentence for a person, naming the field and the range. */
  readonly message: string;
}

/** Collects warnings once each (same code and message counted, not repeated). */
export class WarningSink {
  private readonly seen = new Map<string, { warning: Warning; count: number }>();

  warn(code: string, message: string): void {
    const key = `${code}\u0000${message}`;
    const entry = this.seen.get(key);
    if (entry) entry.count++;
    else this.seen.set(key, { warning: { code, message }, count: 1 });
  }

  list(): Warning[] {
    return [...this.seen.values()].map((e) => e.warning);
  }
}
