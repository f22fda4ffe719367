//! Where a feed's files come from: a zip archive or a directory of `.txt` files.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use crate::error::FeedError;

/// Default cap on the bytes decompressed from a zip feed: 2 GiB.
pub const DEFAULT_MAX_UNPACKED: u64 = 2 << 30;

/// Anything a zip archive can be read from (a file, an in-memory buffer).
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// A GTFS feed's files, opened one at a time as streams.
pub struct FeedSource {
    origin: String,
    backend: Backend,
    max_unpacked: u64,
    unpacked: u64,
}

enum Backend {
    Dir { files: BTreeMap<String, PathBuf> },
    Zip { archive: Box<zip::ZipArchive<Box<dyn ReadSeek>>>, files: BTreeMap<String, usize> },
}

impl FeedSource {
    /// Opens a zip file or a directory, whichever `path` is.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, FeedError> {
        let path = path.as_ref();
        let io_err = |source| FeedError::Io { path: path.to_owned(), source };
        if path.metadata().map_err(io_err)?.is_dir() {
            return Self::directory(path);
        }
        let file = File::open(path).map_err(io_err)?;
        Self::zip(path.display().to_string(), BufReader::new(file))
    }

    /// Lists the regular files of a directory; names are matched exactly (`stops.txt`).
    pub fn directory(path: impl AsRef<Path>) -> Result<Self, FeedError> {
        let path = path.as_ref();
        let io_err = |source| FeedError::Io { path: path.to_owned(), source };
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(path).map_err(io_err)? {
            let entry = entry.map_err(io_err)?;
            if entry.file_type().map_err(io_err)?.is_file() {
                files.insert(entry.file_name().to_string_lossy().into_owned(), entry.path());
            }
        }
        Ok(FeedSource {
            origin: path.display().to_string(),
            backend: Backend::Dir { files },
            max_unpacked: DEFAULT_MAX_UNPACKED,
            unpacked: 0,
        })
    }

    /// Reads a zip archive's central directory. `origin` names it in error messages.
    pub fn zip(origin: impl Into<String>, reader: impl ReadSeek + 'static) -> Result<Self, FeedError> {
        let origin = origin.into();
        let boxed: Box<dyn ReadSeek> = Box::new(reader);
        let archive = zip::ZipArchive::new(boxed)
            .map_err(|e| FeedError::BadZip { origin: origin.clone(), reason: e.to_string() })?;
        let files = zip_file_names(&archive);
        Ok(FeedSource {
            origin,
            backend: Backend::Zip { archive: Box::new(archive), files },
            max_unpacked: DEFAULT_MAX_UNPACKED,
            unpacked: 0,
        })
    }

    /// Caps the bytes decompressed over all zip entries. Counted while streaming,
    /// so lying size headers do not help a zip bomb. Directories are not capped.
    pub fn with_max_unpacked(mut self, bytes: u64) -> Self {
        self.max_unpacked = bytes;
        self
    }

    /// The path or name the source was opened from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// File names in the feed (for zips: relative to the folder holding the `.txt` files).
    pub fn file_names(&self) -> Vec<String> {
        match &self.backend {
            Backend::Dir { files } => files.keys().cloned().collect(),
            Backend::Zip { files, .. } => files.keys().cloned().collect(),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        match &self.backend {
            Backend::Dir { files } => files.contains_key(name),
            Backend::Zip { files, .. } => files.contains_key(name),
        }
    }

    /// Bytes decompressed from the zip so far.
    pub fn unpacked_bytes(&self) -> u64 {
        self.unpacked
    }

    /// Opens a file as a stream, or `None` if the feed has no such file.
    pub fn open_file(&mut self, name: &str) -> Result<Option<Stream<'_>>, FeedError> {
        match &mut self.backend {
            Backend::Dir { files } => {
                let Some(path) = files.get(name) else { return Ok(None) };
                let file = File::open(path).map_err(|source| FeedError::Io { path: path.clone(), source })?;
                Ok(Some(Stream { reader: Box::new(file), origin: Origin::Dir(path.clone()) }))
            }
            Backend::Zip { archive, files } => {
                let Some(&index) = files.get(name) else { return Ok(None) };
                let origin = format!("{}: {name}", self.origin);
                let entry = archive
                    .by_index(index)
                    .map_err(|e| FeedError::BadZip { origin: self.origin.clone(), reason: format!("{name}: {e}") })?;
                let reader = Box::new(CappedEntry { entry, used: &mut self.unpacked, limit: self.max_unpacked });
                Ok(Some(Stream { reader, origin: Origin::Zip(origin) }))
            }
        }
    }
}

/// One file of a feed being read.
pub struct Stream<'a> {
    reader: Box<dyn Read + 'a>,
    origin: Origin,
}

enum Origin {
    Dir(PathBuf),
    Zip(String),
}

impl<'a> Stream<'a> {
    /// Puts already-read bytes back in front of the stream.
    pub(crate) fn chain_prefix(prefix: Vec<u8>, stream: Stream<'a>) -> Stream<'a> {
        Stream { reader: Box::new(io::Cursor::new(prefix).chain(stream.reader)), origin: stream.origin }
    }

    /// Turns an I/O error met while streaming into the feed error it stands for.
    pub(crate) fn error(&self, err: io::Error) -> FeedError {
        if let Some(too_large) = err.get_ref().and_then(|e| e.downcast_ref::<TooLarge>()) {
            return FeedError::TooLarge { limit: too_large.0 };
        }
        match &self.origin {
            Origin::Zip(origin) => FeedError::BadZip { origin: origin.clone(), reason: err.to_string() },
            Origin::Dir(path) => FeedError::Io { path: path.clone(), source: err },
        }
    }
}

impl Read for Stream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buf)
    }
}

/// Maps plain file names to entry indexes. Feeds zipped with their folder (`gtfs/stops.txt`)
/// are accepted when the archive root holds no `.txt` file; `__MACOSX` junk is skipped.
fn zip_file_names(archive: &zip::ZipArchive<Box<dyn ReadSeek>>) -> BTreeMap<String, usize> {
    let entries: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|i| Some((i, archive.name_for_index(i)?.ok()?.into_owned())))
        .filter(|(_, name)| !name.ends_with('/') && !name.starts_with("__MACOSX/"))
        .collect();
    let root_has_txt = entries.iter().any(|(_, name)| !name.contains('/') && name.ends_with(".txt"));
    let folders: std::collections::BTreeSet<&str> =
        entries.iter().filter_map(|(_, name)| name.rsplit_once('/').map(|(dir, _)| dir)).collect();
    let strip_folder = !root_has_txt && folders.len() == 1;
    entries
        .iter()
        .map(|(i, name)| match name.rsplit_once('/') {
            Some((_, base)) if strip_folder => (base.to_owned(), *i),
            _ => (name.clone(), *i),
        })
        .collect()
}

/// Marker carried inside an `io::Error` when the unpacked-size cap is hit.
#[derive(Debug)]
struct TooLarge(u64);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unpacked size exceeds {} bytes", self.0)
    }
}

impl std::error::Error for TooLarge {}

/// Counts decompressed bytes across all entries of one source.
struct CappedEntry<'a, R: Read> {
    entry: R,
    used: &'a mut u64,
    limit: u64,
}

impl<R: Read> Read for CappedEntry<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.entry.read(buf)?;
        *self.used += n as u64;
        if *self.used > self.limit {
            return Err(io::Error::other(TooLarge(self.limit)));
        }
        Ok(n)
    }
}
