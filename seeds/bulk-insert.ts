/**
 * Multi-row INSERT for bulk loads through better-sqlite3.
 *
 * Each `stmt.run()` crosses from JavaScript into C++ and resets the statement; binding R rows per call pays that
 * once per R rows. Callers reserve a row and write its values straight into a reused flat buffer (no per-row
 * arrays), and the statement runs when the buffer is full.
 */
import type Database from "better-sqlite3";

export class BulkInserter {
  /** Flat values of the pending rows; write a row's values at `buffer[next() + column]`. */
  readonly buffer: unknown[];
  private pending = 0;
  private readonly width: number;
  private readonly fullStatement: Database.Statement;
  private readonly partialStatements = new Map<number, Database.Statement>();
  /** Rows written by this inserter so far (flushed or pending). */
  rows = 0;

  constructor(
    private readonly client: Database.Database,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly rowsPerStatement = Math.max(1, Math.floor(1_000 / columns.length)),
  ) {
    this.width = columns.length;
    this.buffer = new Array(this.rowsPerStatement * this.width).fill(null);
    this.fullStatement = client.prepare(this.sql(this.rowsPerStatement));
  }

  /** Reserves the next row and returns the buffer offset of its first column; flushes a full buffer first. */
  next(): number {
    if (this.pending === this.rowsPerStatement) this.flush();
    this.rows++;
    return this.pending++ * this.width;
  }

  /** Writes the pending rows (call before COMMIT). */
  flush(): void {
    if (this.pending === 0) return;
    if (this.pending === this.rowsPerStatement) {
      this.fullStatement.run(this.buffer);
    } else {
      let statement = this.partialStatements.get(this.pending);
      if (!statement) {
        statement = this.client.prepare(this.sql(this.pending));
        this.partialStatements.set(this.pending, statement);
      }
      statement.run(this.buffer.slice(0, this.pending * this.width));
    }
    this.pending = 0;
  }

  private sql(rows: number): string {
    const tuple = `(${this.columns.map(() => "?").join(",")})`;
    return `INSERT INTO ${this.table} (${this.columns.join(",")}) VALUES ${Array.from({ length: rows }, () => tuple).join(",")}`;
  }
}
