//! The data directory and its private files: the SQLite database (by default), the generated
//! JWT secret ([`jwt_secret`]) and the generated development certificate ([`dev_certificate`]).
//! The directory is private to this user (0700) on every start.
//!
//! Several instances may start together on one fresh directory: a supervisor, compose, a host
//! reboot. Everything that creates files here, and the database migrations, therefore runs
//! under an exclusive lock on `<dir>/.init.lock`: the first instance creates, the others wait
//! for it and then read what it wrote.

pub mod dev_certificate;
pub mod jwt_secret;

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const LOCK_FILE: &str = ".init.lock";

#[derive(Debug, Clone)]
pub struct DataDir {
    path: PathBuf,
}

/// Held while this process sets up the data directory; dropping it lets the next one in.
#[must_use = "the lock is released when this is dropped"]
pub struct InitLock {
    _file: File,
}

impl DataDir {
    /// Creates the directory if it does not exist, and makes it private to this user (0700)
    /// if it is not: it holds password hashes, sessions and keys.
    pub fn create(path: &Path) -> io::Result<DataDir> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(path)?;
        make_private(path)?;
        Ok(DataDir { path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.path.join(name)
    }

    /// Blocks until no other process is setting up this directory.
    pub fn lock_for_init(&self) -> io::Result<InitLock> {
        let file = File::options().create(true).truncate(false).write(true).open(self.join(LOCK_FILE))?;
        file.lock()?;
        Ok(InitLock { _file: file })
    }
}

#[cfg(unix)]
fn make_private(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return Ok(());
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "it is open to other users (mode {mode:o}) and cannot be made private ({e}); fix it with: chmod 700 {}",
                dir.display()
            ),
        )
    })?;
    tracing::warn!(dir = %dir.display(), "the data directory was open to other users (mode {mode:o}); it is now 0700");
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_: &Path) -> io::Result<()> {
    Ok(())
}

/// Writes the whole file under a temporary name, then renames it into place: a reader never
/// sees a half-written file. `mode` applies from creation, so a key is never briefly readable.
pub fn write_private(path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(&tmp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_init_lock_excludes_a_second_holder_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::create(&dir.path().join("nested/data")).unwrap();
        let held = data.lock_for_init().unwrap();
        let other = File::options().write(true).open(data.join(LOCK_FILE)).unwrap();
        assert!(other.try_lock().is_err(), "a second lock must wait");
        drop(held);
        assert!(other.try_lock().is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn private_files_and_the_directory_are_created_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::create(&dir.path().join("data")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(data.path()), 0o700);
        std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        DataDir::create(data.path()).unwrap();
        assert_eq!(mode(data.path()), 0o700, "an existing open directory is made private");
        let key = data.join("tls/key.pem");
        write_private(&key, b"secret", 0o600).unwrap();
        assert_eq!(mode(&key), 0o600);
        assert_eq!(std::fs::read(&key).unwrap(), b"secret");
    }
}
