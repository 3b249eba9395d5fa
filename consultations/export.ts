import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import { SYNTHESIS_COLUMNS, countsLines, type Synthesis } from './synthesis.ts';

/** The synthesis as the files agencies attach to their submission: DOCX, XLSX and CSV. */

function cellParagraphs(text: string, bold = false): Paragraph[] {
  return text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] }));
}

const WIDTHS = [15, 20, 35, 30];

/** A Word document: title, counts, then the four-column table (one row per theme or position). */
export async function synthesisDocx(s: Synthesis): Promise<Buffer> {
  const header = new TableRow({
    tableHeader: true,
    children: SYNTHESIS_COLUMNS.map((c, i) => new TableCell({ width: { size: WIDTHS[i], type: WidthType.PERCENTAGE }, children: cellParagraphs(c, true) })),
  });
  const rows = s.rows.map(
    (r) =>
      new TableRow({
        children: [r.unit, r.who, r.said, r.response].map((v, i) => new TableCell({ width: { size: WIDTHS[i], type: WidthType.PERCENTAGE }, children: cellParagraphs(v) })),
      }),
  );
  const doc = new Document({
    creator: 'Loa',
    title: s.title,
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, children: [new TextRun({ text: s.title.toUpperCase(), bold: true })] }),
          ...countsLines(s).map((line) => new Paragraph({ children: [new TextRun(line)] })),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** An Excel workbook: the counts on top, the table below with a header row that stays in view. */
export async function synthesisXlsx(s: Synthesis): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Loa';
  const ws = wb.addWorksheet('Tổng hợp');
  ws.addRow([s.title]).font = { bold: true, size: 14 };
  for (const line of countsLines(s)) ws.addRow([line]);
  ws.addRow([]);
  const headerRow = ws.addRow([...SYNTHESIS_COLUMNS, 'Số ý kiến']);
  headerRow.font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: headerRow.number }];
  for (const r of s.rows) ws.addRow([r.unit, r.who, r.said, r.response, r.comments]);
  ws.columns.forEach((col, i) => {
    col.width = [18, 28, 60, 50, 10][i];
    col.alignment = { wrapText: true, vertical: 'top' };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csvCell(v: string | number): string {
  const t = String(v);
  // A leading = + - @ would run as a formula in a spreadsheet: quoted with a tab-free apostrophe.
  const safe = /^[=+\-@]/.test(t) ? `'${t}` : t;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV (UTF-8 with a byte-order mark, which Excel needs to read Vietnamese): one row per table row. */
export function synthesisCsv(s: Synthesis): string {
  const lines = [[...SYNTHESIS_COLUMNS, 'Số ý kiến'].map(csvCell).join(',')];
  for (const r of s.rows) lines.push([r.unit, r.who, r.said, r.response, r.comments].map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
