import { displayWidth, padToWidth, sanitizeCell, truncateToWidth } from './display-width.js';

/** One column of a box-drawn table. */
export interface BoxColumn {
  header: string;
  /** The maximum width in terminal columns; longer cells end in `…`. Default: no limit. */
  maxWidth?: number;
}

export interface BoxTableOptions {
  columns: BoxColumn[];
  /** Rows in groups; a horizontal rule separates groups, as Trivy separates packages. */
  groups: string[][][];
  /**
   * Wraps a padded cell in colour codes. Called after widths are computed, so escape codes never
   * count towards column widths. Default: no colour.
   */
  colorCell?: (cell: { column: number; value: string; padded: string }) => string;
}

/**
 * Renders a table with box-drawing borders and returns its lines. Cell text is sanitized for the
 * terminal and measured in display columns, so CJK text and emoji keep the borders aligned.
 */
export function renderBoxTable(options: BoxTableOptions): string[] {
  const { columns, colorCell } = options;
  const groups = options.groups
    .map((rows) => rows.map((row) => columns.map((column, index) => fitCell(row[index] ?? '', column.maxWidth))))
    .filter((rows) => rows.length > 0);
  const headers = columns.map((column) => fitCell(column.header, column.maxWidth));

  const widths = headers.map((header, index) => {
    const cells = groups.flatMap((rows) => rows.map((row) => displayWidth(row[index]!)));
    return Math.max(displayWidth(header), ...cells);
  });

  const rule = (left: string, middle: string, right: string): string =>
    left + widths.map((width) => '─'.repeat(width + 2)).join(middle) + right;
  const line = (cells: string[], colored: boolean): string => {
    const parts = cells.map((value, column) => {
      const padded = padToWidth(value, widths[column]!);
      return colored && colorCell ? colorCell({ column, value, padded }) : padded;
    });
    return `│ ${parts.join(' │ ')} │`;
  };

  const lines = [rule('┌', '┬', '┐'), line(headers, false)];
  for (const rows of groups) {
    // The first rule closes the header; the others separate groups.
    lines.push(rule('├', '┼', '┤'));
    for (const row of rows) lines.push(line(row, true));
  }
  lines.push(rule('└', '┴', '┘'));
  return lines;
}

function fitCell(text: string, maxWidth: number | undefined): string {
  const clean = sanitizeCell(text);
  return maxWidth === undefined ? clean : truncateToWidth(clean, maxWidth);
}
