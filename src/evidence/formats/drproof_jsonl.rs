//! `drproof-jsonl`: drproof's own JSON Lines, one event object per line, with the same keys as
//! the CSV columns (schema: `docs/evidence-event.schema.json`).
//!
//! Unknown keys are ignored; `null` or an empty string means absent; blank lines are skipped;
//! CRLF endings and a UTF-8 BOM are accepted. Values are borrowed from the block as raw JSON,
//! so a record costs no allocation unless a string holds escapes.

use super::native::{quote, Chunk, Field, Issue, Merge, Scratch, Settings, FIELD_COUNT};
use crate::evidence::blocks::{self, BlockParser, BlockReader, FirstBlock};
use crate::evidence::{EvidenceError, InputContext};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::io::Read;

/// Reads a whole JSON Lines file into `ctx`, returning its SHA-256 and size.
pub(crate) fn read(
    ctx: &mut InputContext<'_>,
    file: impl Read,
    threads: usize,
) -> Result<(String, u64), EvidenceError> {
    let mut reader = BlockReader::new(file, false, blocks::BLOCK_SIZE);
    let path = ctx.path.to_owned();
    let read_error = |e| super::block_error(&path, e);
    let first = reader.next_block().map_err(read_error)?.unwrap_or_default();
    let bom = if first.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let parser = JsonlParser {
        settings: Settings::new(ctx.source, ctx.lenient(), "key", "no value"),
    };
    let mut merge = Merge::new(ctx);
    blocks::run(
        &mut reader,
        FirstBlock {
            data: first,
            offset: bom,
            line: 1,
        },
        &parser,
        threads,
        |chunk, line| merge.chunk(chunk, line),
        read_error,
    )?;
    reader.finish().map_err(|e| EvidenceError::Io {
        path: path.clone(),
        source: e,
    })
}

/// One line, each value kept as raw JSON text so types can be checked with good messages.
#[derive(serde::Deserialize)]
struct RawRecord<'a> {
    #[serde(borrow, default)]
    system: Option<&'a RawValue>,
    #[serde(borrow, default)]
    kind: Option<&'a RawValue>,
    #[serde(borrow, default)]
    status: Option<&'a RawValue>,
    #[serde(borrow, default)]
    started_at: Option<&'a RawValue>,
    #[serde(borrow, default)]
    finished_at: Option<&'a RawValue>,
    #[serde(borrow, default)]
    point_in_time: Option<&'a RawValue>,
    #[serde(borrow, default)]
    policy: Option<&'a RawValue>,
    #[serde(borrow, default)]
    size_bytes: Option<&'a RawValue>,
    #[serde(borrow, default)]
    location: Option<&'a RawValue>,
}

struct JsonlParser<'a> {
    settings: Settings<'a>,
}

/// The text of a JSON string value, borrowed when it has no escapes.
fn string_value<'r>(field: Field, raw: &'r RawValue) -> Result<Cow<'r, str>, String> {
    let text = raw.get();
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        if !inner.contains('\\') {
            return Ok(Cow::Borrowed(inner));
        }
        return serde_json::from_str::<String>(text)
            .map(Cow::Owned)
            .map_err(|e| e.to_string());
    }
    Err(format!(
        "key {}: expected a string, found {}",
        field.name(),
        quote_raw(text)
    ))
}

fn quote_raw(text: &str) -> String {
    if text.len() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text.to_owned()
    }
}

impl JsonlParser<'_> {
    fn parse_line(
        &self,
        line: &[u8],
        scratch: &mut Scratch,
        number: u32,
    ) -> Result<crate::evidence::Event, String> {
        if line.first() != Some(&b'{') {
            // serde would also accept a positional array for a struct: insist on an object.
            return Err(not_an_object(line));
        }
        let record: RawRecord<'_> = serde_json::from_slice(line).map_err(|e| json_problem(&e))?;
        let raw = [
            record.system,
            record.kind,
            record.status,
            record.started_at,
            record.finished_at,
            record.point_in_time,
            record.policy,
            record.size_bytes,
            record.location,
        ];
        let mut texts: [Option<Cow<'_, str>>; FIELD_COUNT] = Default::default();
        for (field, value) in Field::ALL.into_iter().zip(raw) {
            let Some(value) = value else { continue };
            let text = if field == Field::SizeBytes {
                let t = value.get();
                if t.starts_with('"') {
                    return Err(format!(
                        "key size_bytes: expected a whole number of bytes, found {}",
                        quote_raw(t)
                    ));
                }
                Cow::Borrowed(t)
            } else {
                string_value(field, value)?
            };
            texts[field as usize] = (!text.is_empty()).then_some(text);
        }
        let mut fields: [Option<&[u8]>; FIELD_COUNT] = [None; FIELD_COUNT];
        for (slot, text) in fields.iter_mut().zip(&texts) {
            *slot = text.as_deref().map(str::as_bytes);
        }
        self.settings.build_event(&fields, scratch, number)
    }
}

fn not_an_object(line: &[u8]) -> String {
    format!("expected a JSON object with the keys system, kind, status, started_at, finished_at, found {}", quote(line))
}

fn json_problem(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m);
    if e.is_data() {
        message.to_owned()
    } else {
        format!(
            "expected a JSON object on one line, found invalid JSON at column {}: {message}",
            e.column()
        )
    }
}

impl BlockParser for JsonlParser<'_> {
    type Output = Chunk;

    fn parse_block(&self, data: &[u8]) -> Chunk {
        let mut chunk = Chunk {
            events: Vec::with_capacity(data.len() / 96 + 1),
            ..Chunk::default()
        };
        let mut scratch = Scratch::default();
        for (number, text) in data.split(|&b| b == b'\n').enumerate() {
            let number = number as u32;
            let text = text.trim_ascii();
            if text.is_empty() {
                continue;
            }
            chunk.records += 1;
            match self.parse_line(text, &mut scratch, number) {
                Ok(event) => chunk.events.push(event),
                Err(message) => {
                    chunk.issues.push(Issue {
                        line: number,
                        message,
                    });
                    if !self.settings.lenient {
                        break;
                    }
                }
            }
        }
        chunk.newlines = memchr::memchr_iter(b'\n', data).count() as u32;
        chunk.names = scratch.symbols.into_names();
        chunk.bytes = data.len();
        chunk
    }

    fn newlines(output: &Chunk) -> u32 {
        output.newlines
    }
}
