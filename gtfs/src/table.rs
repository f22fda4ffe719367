//! CSV table reading on `csv::ByteRecord`: header normalisation, column lookup, trimmed field
//! access with 1-based line numbers for errors.

use std::io::Read;

use csv::ByteRecord;

use crate::error::{FeedError, IssueKind, RowIssue};
use crate::report::Warning;
use crate::source::Stream;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A column of the open table; `idx` is `None` when the header lacks it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    pub name: &'static str,
    idx: Option<usize>,
}

pub(crate) struct Table<'a> {
    pub file: &'static str,
    csv: csv::Reader<Stream<'a>>,
    header: Vec<String>,
    record: ByteRecord,
    ragged: u64,
    first_ragged_line: u64,
}

impl<'a> Table<'a> {
    /// Reads the header. `known` lists every spec column of the file; others are warned about.
    /// Returns `None` for a file with no header line at all.
    pub fn open(
        file: &'static str,
        mut stream: Stream<'a>,
        known: &[&str],
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<Self>, FeedError> {
        // csv strips a BOM silently; peek at it ourselves so the report can mention it.
        let mut head = [0u8; 3];
        let mut got = 0;
        while got < 3 {
            match stream.read(&mut head[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(stream.error(e)),
            }
        }
        let prefix = if head[..got] == *BOM {
            warnings.push(Warning::Bom { file });
            Vec::new()
        } else {
            head[..got].to_vec()
        };
        let chained = Stream::chain_prefix(prefix, stream);
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(chained);
        let mut record = ByteRecord::new();
        let has_header = csv.read_byte_record(&mut record).map_err(|e| csv_error(file, &csv, e))?;
        if !has_header {
            return Ok(None);
        }
        let mut header = Vec::with_capacity(record.len());
        for raw in record.iter() {
            let text = String::from_utf8_lossy(raw);
            let name = text.trim();
            if name.len() != text.len() {
                warnings.push(Warning::PaddedHeader { file, column: name.to_owned() });
            }
            if header.iter().any(|h: &String| h == name) {
                warnings.push(Warning::DuplicateColumn { file, column: name.to_owned() });
            } else if !known.contains(&name) {
                warnings.push(Warning::UnknownColumn { file, column: name.to_owned() });
            }
            header.push(name.to_owned());
        }
        Ok(Some(Table { file, csv, header, record, ragged: 0, first_ragged_line: 0 }))
    }

    pub fn column(&self, name: &'static str) -> Col {
        Col { name, idx: self.header.iter().position(|h| h == name) }
    }

    pub fn required(&self, name: &'static str) -> Result<Col, FeedError> {
        let col = self.column(name);
        match col.idx {
            Some(_) => Ok(col),
            None => Err(FeedError::MissingColumn { file: self.file, column: name }),
        }
    }

    /// The next data row. Short rows read as empty trailing fields; extra fields are ignored.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, FeedError> {
        if !self.csv.read_byte_record(&mut self.record).map_err(|e| csv_error(self.file, &self.csv, e))? {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, csv::Position::line);
        if self.record.len() != self.header.len() {
            if self.ragged == 0 {
                self.first_ragged_line = line;
            }
            self.ragged += 1;
        }
        Ok(Some(Row { file: self.file, line, record: &self.record }))
    }

    /// Rows whose field count differed from the header's, and the first such line.
    pub fn ragged_rows(&self) -> Option<Warning> {
        (self.ragged > 0).then_some(Warning::RaggedRows {
            file: self.file,
            rows: self.ragged,
            first_line: self.first_ragged_line,
        })
    }
}

fn csv_error(file: &'static str, csv: &csv::Reader<Stream<'_>>, err: csv::Error) -> FeedError {
    let line = err.position().map_or(0, csv::Position::line);
    match err.into_kind() {
        csv::ErrorKind::Io(io) => csv.get_ref().error(io),
        other => FeedError::Csv { file, line, reason: format!("{other:?}") },
    }
}

/// One data row; fields are trimmed of ASCII whitespace (MTA pads values like `"  40.578350"`).
pub(crate) struct Row<'r> {
    pub file: &'static str,
    pub line: u64,
    record: &'r ByteRecord,
}

impl<'r> Row<'r> {
    pub fn bytes(&self, col: Col) -> &'r [u8] {
        col.idx.and_then(|i| self.record.get(i)).unwrap_or_default().trim_ascii()
    }

    pub fn issue(&self, col: Col, kind: IssueKind) -> RowIssue {
        let value: String = String::from_utf8_lossy(self.bytes(col)).chars().take(80).collect();
        RowIssue { file: self.file, line: self.line, column: col.name, value, kind }
    }

    /// Text of an optional column; `None` when empty or absent.
    pub fn text(&self, col: Col) -> Result<Option<&'r str>, RowIssue> {
        let raw = self.bytes(col);
        if raw.is_empty() {
            return Ok(None);
        }
        std::str::from_utf8(raw).map(Some).map_err(|_| self.issue(col, IssueKind::InvalidUtf8))
    }

    pub fn string(&self, col: Col) -> Result<Option<String>, RowIssue> {
        Ok(self.text(col)?.map(str::to_owned))
    }

    pub fn required_text(&self, col: Col) -> Result<&'r str, RowIssue> {
        self.text(col)?.ok_or_else(|| self.issue(col, IssueKind::MissingValue))
    }

    /// Bytes of a required column (ids looked up without UTF-8 validation).
    pub fn required_bytes(&self, col: Col) -> Result<&'r [u8], RowIssue> {
        let raw = self.bytes(col);
        if raw.is_empty() { Err(self.issue(col, IssueKind::MissingValue)) } else { Ok(raw) }
    }

    pub fn parse<T>(&self, col: Col, f: impl FnOnce(&[u8]) -> Result<T, IssueKind>) -> Result<Option<T>, RowIssue> {
        let raw = self.bytes(col);
        if raw.is_empty() {
            return Ok(None);
        }
        f(raw).map(Some).map_err(|kind| self.issue(col, kind))
    }

    pub fn required<T>(&self, col: Col, f: impl FnOnce(&[u8]) -> Result<T, IssueKind>) -> Result<T, RowIssue> {
        self.parse(col, f)?.ok_or_else(|| self.issue(col, IssueKind::MissingValue))
    }
}
