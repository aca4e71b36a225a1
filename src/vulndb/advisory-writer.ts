import type Database from 'better-sqlite3';

import type { Severity } from '../model/severity.js';

/** One event of an affected range, in OSV's vocabulary. Exactly one field is set. */
export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/** The versions of one package that one advisory affects, in one ecosystem. */
export interface AffectedRecord {
  /** The normalized ecosystem key (`go`, `pypi`, `debian:12`, `alpine:3.18`, `almalinux:9`). */
  ecosystem: string;
  /** The package name, normalized for its ecosystem (see `normalizePackageName`). */
  name: string;
  /** Ranges of ordered events. An empty list with no `versions` affects nothing. */
  ranges: RangeEvent[][];
  /** Exact affected versions, from OSV `versions` lists. */
  versions?: string[];
  /** `not-affected` records that the source declares no version affected; such rows never match. */
  status: 'affected' | 'not-affected';
  /** A rating that applies to this package only, such as a Debian urgency per release. */
  severity?: Severity;
}

/** One advisory as stored, independent of its source format. */
export interface AdvisoryRecord {
  /** The advisory's own ID (`GO-2024-0001`, `DSA-5380-1`, `CVE-2023-1234` for secdb entries). */
  id: string;
  aliases: string[];
  /** IDs that the source lists as related, such as the CVEs of an AlmaLinux erratum. */
  related: string[];
  title?: string;
  description?: string;
  severity?: Severity;
  /** The origin of `severity` (`ghsa`, `cvss-v3.1`). */
  severitySource?: string;
  cvss?: Record<string, { vector: string; score: number }>;
  references: string[];
  published?: string;
  modified?: string;
  /** The withdrawal time; a withdrawn advisory is stored but never matched. */
  withdrawn?: string;
  /** RustSec's informational kind (`unmaintained`, `unsound`, `notice`); not a vulnerability. */
  informational?: string;
  affected: AffectedRecord[];
}

/**
 * Writes advisories of one source into an open DB with prepared statements. An advisory whose
 * ID the source already stored gets the new affected rows added to the stored advisory, so
 * feeds that list one CVE under many packages or branches (Alpine secdb) keep one advisory row.
 */
export class AdvisoryWriter {
  readonly sourceId: number;
  readonly #db: Database.Database;
  readonly #insertAdvisory: Database.Statement;
  /** Row ids of the advisories this writer stored, by advisory ID; a source's rows are all written here. */
  readonly #rowIds = new Map<string, number>();
  /** Multi-row insert statements by row count, since one statement per row costs more than the row. */
  readonly #insertAffected = new Map<number, Database.Statement>();

  constructor(db: Database.Database, sourceId: number) {
    this.sourceId = sourceId;
    this.#db = db;
    this.#insertAdvisory = db.prepare(
      `INSERT INTO advisories (source_id, advisory_id, aliases, related, title, description, severity, severity_source,
         cvss, refs, published, modified, withdrawn, informational)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Inserts an advisory and its affected rows. Returns the advisory's row id. */
  write(advisory: AdvisoryRecord): number {
    let rowId = this.#rowIds.get(advisory.id);
    if (rowId === undefined) {
      const result = this.#insertAdvisory.run(
        this.sourceId,
        advisory.id,
        JSON.stringify(advisory.aliases),
        JSON.stringify(advisory.related),
        advisory.title ?? null,
        advisory.description ?? null,
        advisory.severity ?? null,
        advisory.severitySource ?? null,
        advisory.cvss === undefined ? null : JSON.stringify(advisory.cvss),
        JSON.stringify(advisory.references),
        advisory.published ?? null,
        advisory.modified ?? null,
        advisory.withdrawn ?? null,
        advisory.informational ?? null,
      );
      rowId = Number(result.lastInsertRowid);
      this.#rowIds.set(advisory.id, rowId);
    }

    for (let start = 0; start < advisory.affected.length; start += MAX_ROWS_PER_INSERT) {
      const batch = advisory.affected.slice(start, start + MAX_ROWS_PER_INSERT);
      const values: unknown[] = [];
      for (const affected of batch) {
        values.push(
          rowId,
          affected.ecosystem,
          affected.name,
          JSON.stringify(affected.ranges),
          affected.versions === undefined ? null : JSON.stringify(affected.versions),
          affected.status,
          affected.severity ?? null,
        );
      }
      this.#affectedStatement(batch.length).run(values);
    }
    return rowId;
  }

  #affectedStatement(rows: number): Database.Statement {
    let statement = this.#insertAffected.get(rows);
    if (statement === undefined) {
      const placeholders = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
      statement = this.#db.prepare(`INSERT INTO affected (advisory, ecosystem, name, ranges, versions, status, severity) VALUES ${placeholders}`);
      this.#insertAffected.set(rows, statement);
    }
    return statement;
  }
}

/** Rows per multi-row insert: 7 columns each stay well under SQLite's 32,766 bound parameters. */
const MAX_ROWS_PER_INSERT = 64;
