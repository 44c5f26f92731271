//! `drproof-csv`: drproof's own CSV (RFC 4180) with a header row.
//!
//! Columns may come in any order; unknown columns are ignored; a missing required column is an
//! input error. Empty cells mean absent. Blank lines are skipped; CRLF endings and a UTF-8 BOM
//! are accepted. Unquoted cells are trimmed of spaces and tabs; quoted cells are taken as they
//! are (`""` is a quote, commas and newlines may appear inside).
//!
//! The hot loop works on borrowed bytes: a line without a `"` is split with `memchr` and never
//! copied; only quoted lines take the slower, fully general path.

use super::native::{Chunk, Field, Issue, Merge, Scratch, Settings, FIELD_COUNT};
use crate::evidence::blocks::{self, BlockParser, BlockReader, FirstBlock};
use crate::evidence::{EvidenceError, InputContext};
use std::borrow::Cow;
use std::io::Read;

/// Which field each header column holds (`None`: ignored), and the number of columns.
#[derive(Debug)]
pub(crate) struct Layout {
    columns: Vec<Option<Field>>,
}

/// Reads a whole CSV file into `ctx`, returning its SHA-256 and size.
pub(crate) fn read(
    ctx: &mut InputContext<'_>,
    file: impl Read,
    threads: usize,
) -> Result<(String, u64), EvidenceError> {
    read_with_block_size(ctx, file, threads, blocks::BLOCK_SIZE)
}

pub(crate) fn read_with_block_size(
    ctx: &mut InputContext<'_>,
    file: impl Read,
    threads: usize,
    block_size: usize,
) -> Result<(String, u64), EvidenceError> {
    let mut reader = BlockReader::new(file, true, block_size);
    let path = ctx.path.to_owned();
    let read_error = |e| super::block_error(&path, e);
    let Some(first) = reader.next_block().map_err(read_error)? else {
        return Err(ctx.error("1", "expected a header row (system,kind,status,started_at,finished_at,...), found an empty file"));
    };
    let bom = if first.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let settings = Settings::new(ctx.source, ctx.lenient(), "column", "an empty cell");
    // Leading blank lines before the header are tolerated.
    let mut pos = bom;
    let mut line = 1u32;
    let header = loop {
        if pos >= first.len() {
            return Err(ctx.error(&line.to_string(), "expected a header row (system,kind,status,started_at,finished_at,...), found no header"));
        }
        let (record, next, newlines, _) = next_record(&first, pos);
        pos = next;
        if is_blank(record) {
            line += newlines;
            continue;
        }
        break (record, newlines);
    };
    let header_line = line;
    let layout =
        parse_header(header.0, &settings).map_err(|m| ctx.error(&header_line.to_string(), m))?;
    line += header.1;
    let parser = CsvParser { layout, settings };
    let mut merge = Merge::new(ctx);
    blocks::run(
        &mut reader,
        FirstBlock {
            data: first,
            offset: pos,
            line,
        },
        &parser,
        threads,
        |chunk, first_line| merge.chunk(chunk, first_line),
        read_error,
    )?;
    reader.finish().map_err(|e| EvidenceError::Io {
        path: path.clone(),
        source: e,
    })
}

fn is_blank(record: &[u8]) -> bool {
    record.iter().all(|b| matches!(b, b' ' | b'\t'))
}

fn parse_header(record: &[u8], settings: &Settings<'_>) -> Result<Layout, String> {
    let mut cells = Vec::new();
    split_quoted(record, &mut cells).map_err(|m| format!("header: {m}"))?;
    let mut columns = Vec::with_capacity(cells.len());
    let mut seen = [false; FIELD_COUNT];
    let mut names = Vec::new();
    for cell in &cells {
        let name = String::from_utf8_lossy(trim(cell)).into_owned();
        let field = Field::parse(&name);
        if let Some(f) = field {
            if seen[f as usize] {
                return Err(format!("column {name} appears twice in the header"));
            }
            seen[f as usize] = true;
        }
        columns.push(field);
        names.push(name);
    }
    let missing: Vec<&str> = Field::ALL
        .into_iter()
        .filter(|f| settings.needs(*f) && !seen[*f as usize])
        .map(Field::name)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the header lacks the required column{} {} (found: {})",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            names.join(",")
        ));
    }
    Ok(Layout { columns })
}

/// The record starting at `pos`: its bytes (without the line ending), the offset after it,
/// the number of newlines it spans (a quoted field may hold newlines) and whether it holds a
/// quote.
fn next_record(data: &[u8], pos: usize) -> (&[u8], usize, u32, bool) {
    let rest = &data[pos..];
    let mut end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    let mut newlines = u32::from(end < rest.len());
    let quoted = memchr::memchr(b'"', &rest[..end]).is_some();
    if quoted {
        let mut quotes = memchr::memchr_iter(b'"', &rest[..end]).count();
        while quotes % 2 == 1 && end < rest.len() {
            let from = end + 1;
            let next = memchr::memchr(b'\n', &rest[from..]).map_or(rest.len(), |i| from + i);
            quotes += memchr::memchr_iter(b'"', &rest[from..next]).count();
            newlines += u32::from(next < rest.len());
            end = next;
        }
    }
    let mut record = &rest[..end];
    if let [head @ .., b'\r'] = record {
        record = head;
    }
    (record, (pos + end + 1).min(data.len()), newlines, quoted)
}

fn trim(cell: &[u8]) -> &[u8] {
    let start = cell
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(cell.len());
    let end = cell
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |e| e + 1);
    &cell[start..end]
}

/// Splits a record that contains quotes into cells (RFC 4180).
fn split_quoted<'r>(record: &'r [u8], cells: &mut Vec<Cow<'r, [u8]>>) -> Result<(), String> {
    cells.clear();
    let mut i = 0;
    loop {
        let next;
        if record.get(i) == Some(&b'"') {
            let mut owned: Option<Vec<u8>> = None;
            let mut seg = i + 1;
            let mut at = seg;
            let value = loop {
                let Some(q) = memchr::memchr(b'"', &record[at..]).map(|j| at + j) else {
                    return Err(format!(
                        "field {}: a quoted field is not closed",
                        cells.len() + 1
                    ));
                };
                if record.get(q + 1) == Some(&b'"') {
                    owned
                        .get_or_insert_with(Vec::new)
                        .extend_from_slice(&record[seg..=q]);
                    at = q + 2;
                    seg = at;
                } else {
                    let value = match owned.take() {
                        Some(mut v) => {
                            v.extend_from_slice(&record[seg..q]);
                            Cow::Owned(v)
                        }
                        None => Cow::Borrowed(&record[seg..q]),
                    };
                    next = q + 1;
                    break value;
                }
            };
            if next < record.len() && record[next] != b',' {
                return Err(format!(
                    "field {}: unexpected text after a closing quote",
                    cells.len() + 1
                ));
            }
            cells.push(value);
        } else {
            next = memchr::memchr(b',', &record[i..]).map_or(record.len(), |j| i + j);
            let cell = &record[i..next];
            if cell.contains(&b'"') {
                return Err(format!(
                    "field {}: a quote inside an unquoted field (quote the whole field and double the quote: \"a \"\"b\"\"\")",
                    cells.len() + 1
                ));
            }
            cells.push(Cow::Borrowed(trim(cell)));
        }
        if next >= record.len() {
            return Ok(());
        }
        i = next + 1;
    }
}

struct CsvParser<'a> {
    layout: Layout,
    settings: Settings<'a>,
}

impl CsvParser<'_> {
    fn fields_mismatch(&self, found: usize) -> String {
        format!(
            "expected {} fields as in the header, found {found}",
            self.layout.columns.len()
        )
    }

    fn parse_record(
        &self,
        record: &[u8],
        quoted: bool,
        scratch: &mut Scratch,
        line: u32,
    ) -> Result<crate::evidence::Event, String> {
        let mut fields: [Option<&[u8]>; FIELD_COUNT] = [None; FIELD_COUNT];
        let width = self.layout.columns.len();
        if !quoted {
            // The common case: split on commas, borrow every cell.
            let mut count = 0usize;
            let mut start = 0usize;
            for comma in memchr::memchr_iter(b',', record).chain(std::iter::once(record.len())) {
                if let Some(Some(f)) = self.layout.columns.get(count) {
                    let cell = trim(&record[start..comma]);
                    fields[*f as usize] = (!cell.is_empty()).then_some(cell);
                }
                count += 1;
                start = comma + 1;
            }
            if count != width {
                return Err(self.fields_mismatch(count));
            }
            return self.settings.build_event(&fields, scratch, line);
        }
        // Quoted cells: rare, so a small allocation per record is fine here.
        let mut cells = Vec::with_capacity(width);
        split_quoted(record, &mut cells)?;
        if cells.len() != width {
            return Err(self.fields_mismatch(cells.len()));
        }
        for (col, cell) in cells.iter().enumerate() {
            if let Some(f) = self.layout.columns[col] {
                fields[f as usize] = (!cell.is_empty()).then_some(&cell[..]);
            }
        }
        self.settings.build_event(&fields, scratch, line)
    }
}

impl CsvParser<'_> {
    /// Records one record's outcome; false when reading the block should stop (an issue in
    /// strict mode).
    fn take(
        &self,
        chunk: &mut Chunk,
        outcome: Result<crate::evidence::Event, String>,
        line: u32,
    ) -> bool {
        chunk.records += 1;
        match outcome {
            Ok(event) => {
                chunk.events.push(event);
                true
            }
            Err(message) => {
                chunk.issues.push(Issue { line, message });
                self.settings.lenient
            }
        }
    }

    /// A block without any `"`: every record is one line and every cell is borrowed, so one
    /// scan for commas and newlines over the whole block finds every cell (no per-record
    /// searches). Reads exactly like [`CsvParser::parse_general`].
    fn parse_plain(&self, data: &[u8], chunk: &mut Chunk, scratch: &mut Scratch) -> u32 {
        let columns = &self.layout.columns[..];
        let mut fields: [Option<&[u8]>; FIELD_COUNT] = [None; FIELD_COUNT];
        let mut line = 0u32;
        let mut column = 0usize;
        let mut cell_start = 0usize;
        let mut record_start = 0usize;
        let ends = memchr::memchr2_iter(b',', b'\n', data).chain(std::iter::once(data.len()));
        for end in ends {
            let newline = end < data.len() && data[end] == b'\n';
            if !newline && end < data.len() {
                if let Some(Some(f)) = columns.get(column) {
                    let cell = trim(&data[cell_start..end]);
                    fields[*f as usize] = (!cell.is_empty()).then_some(cell);
                }
                column += 1;
                cell_start = end + 1;
                continue;
            }
            if end == record_start && !newline {
                // Nothing after the last newline.
                break;
            }
            let mut cell = &data[cell_start..end];
            if let [head @ .., b'\r'] = cell {
                cell = head;
            }
            let record_line = line;
            line += u32::from(newline);
            let blank = column == 0 && is_blank(cell);
            if !blank {
                if let Some(Some(f)) = columns.get(column) {
                    let cell = trim(cell);
                    fields[*f as usize] = (!cell.is_empty()).then_some(cell);
                }
                let outcome = if column + 1 == columns.len() {
                    self.settings.build_event(&fields, scratch, record_line)
                } else {
                    Err(self.fields_mismatch(column + 1))
                };
                if !self.take(chunk, outcome, record_line) {
                    return line;
                }
            }
            fields = [None; FIELD_COUNT];
            column = 0;
            cell_start = end + 1;
            record_start = end + 1;
        }
        line
    }

    /// Any block: record by record, quoted fields (with commas or newlines inside) included.
    fn parse_general(&self, data: &[u8], chunk: &mut Chunk, scratch: &mut Scratch) -> u32 {
        let mut pos = 0;
        let mut line = 0u32;
        while pos < data.len() {
            let (record, next, newlines, quoted) = next_record(data, pos);
            let record_line = line;
            pos = next;
            line += newlines;
            if is_blank(record) {
                continue;
            }
            let outcome = self.parse_record(record, quoted, scratch, record_line);
            if !self.take(chunk, outcome, record_line) {
                break;
            }
        }
        line
    }
}

impl BlockParser for CsvParser<'_> {
    type Output = Chunk;

    fn parse_block(&self, data: &[u8]) -> Chunk {
        let mut chunk = Chunk {
            events: Vec::with_capacity(data.len() / 64 + 1),
            ..Chunk::default()
        };
        let mut scratch = Scratch::default();
        chunk.newlines = if memchr::memchr(b'"', data).is_none() {
            self.parse_plain(data, &mut chunk, &mut scratch)
        } else {
            self.parse_general(data, &mut chunk, &mut scratch)
        };
        chunk.names = scratch.symbols.into_names();
        chunk.bytes = data.len();
        chunk
    }

    fn newlines(output: &Chunk) -> u32 {
        output.newlines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Everything a chunk says, in comparable form.
    fn outcome(chunk: &Chunk, newlines: u32) -> String {
        format!(
            "{:?} {:?} {} {} {:?}",
            chunk.events, chunk.names, newlines, chunk.records, chunk.issues
        )
    }

    fn both_paths(text: &str, lenient: bool) -> (String, String) {
        let source = crate::evidence::tests::source("x.csv");
        let settings = Settings::new(&source, lenient, "column", "an empty cell");
        let layout = parse_header(
            b"system,kind,status,started_at,finished_at,policy",
            &settings,
        )
        .unwrap();
        let parser = CsvParser { layout, settings };
        let run = |plain: bool| {
            let mut chunk = Chunk::default();
            let mut scratch = Scratch::default();
            let data = text.as_bytes();
            let newlines = if plain {
                parser.parse_plain(data, &mut chunk, &mut scratch)
            } else {
                parser.parse_general(data, &mut chunk, &mut scratch)
            };
            chunk.names = scratch.symbols.into_names();
            outcome(&chunk, newlines)
        };
        (run(true), run(false))
    }

    #[test]
    fn a_block_without_quotes_reads_like_the_general_path() {
        let text = "db,backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,nightly\r\n\
                    \n  \t\r\n web , backup,failed,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,\n\
                    db,backup\nweb,backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,x,y\n\
                    db,backup,maybe,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,nightly\n\
                    ,\ndb,restore_test,partial,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,n\r";
        for lenient in [true, false] {
            let (plain, general) = both_paths(text, lenient);
            assert_eq!(plain, general, "lenient: {lenient}");
        }
        assert!(both_paths(text, true).0.contains("expected 6 fields"));
    }

    proptest! {
        #[test]
        fn plain_and_general_paths_agree(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![
                        Just("db"), Just(" web "), Just("backup"), Just("success"), Just(""),
                        Just("\t"), Just("2026-11-02T02:00:00Z"), Just("2026-11-02T03:00:00Z\r"),
                    ],
                    0..8,
                ),
                0..12,
            ),
            end in prop_oneof![Just(""), Just("\n"), Just("\r\n")],
            lenient in any::<bool>(),
        ) {
            let text = lines.iter().map(|cells| cells.join(",")).collect::<Vec<_>>().join("\n") + end;
            let (plain, general) = both_paths(&text, lenient);
            prop_assert_eq!(plain, general, "{:?}", text);
        }
    }
}
