/** Collects positional parameters for hand-written SQL: bind(value) returns "$n". */
export class SqlParams {
  readonly values: unknown[] = [];

  bind = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}
