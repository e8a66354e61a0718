//! Writing files: the only way this crate puts bytes on disk (docs/robustness.md,
//! "Output safety").
//!
//! Every file is written into a temporary file beside its target, flushed to
//! disk, and renamed over the target, so a reader sees the old file or the new
//! one. On top of that:
//!
//! * **Only regular files are replaced.** A target that is a directory, a
//!   device, a FIFO or a socket is refused before anything is written (as root,
//!   `--out /dev/full` used to replace the device node with a regular file).
//! * **Symbolic links are written through**: the link's final target is
//!   replaced atomically and the link itself is kept. A link that leads
//!   nowhere (dangling, a loop) or to something other than a regular file is
//!   refused.
//! * **Sets land together** ([`write_files`]): every target of a multi-file
//!   output (a report, a CSV export, an import) is checked first, then every
//!   file is staged, and only then are they renamed into place, back to back.
//!   A refused target, a full disk or a failed write leaves the old set as it
//!   was.
//! * **SIGINT, SIGTERM and SIGHUP** ([`clean_up_on_signals`]) remove the
//!   temporary files and directories made so far, then end the process as the
//!   signal would. A signal that arrives while a set is being renamed into
//!   place waits for the renames to finish, so the set is old or new, never a
//!   mix. (SIGKILL cannot be caught: it may leave a hidden `.chokepoint-*.tmp`,
//!   never a damaged target.)

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// A file that could not be written: which one, and why.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// Temporary files and directories this process made and has not yet renamed
/// or removed: what a signal handler must clean up.
struct Live {
    /// Set by the signal handler: no new temporary file is made, nothing more
    /// is committed.
    terminating: bool,
    temps: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    terminating: false,
    temps: Vec::new(),
    dirs: Vec::new(),
});

fn live() -> MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted by a signal")
}

/// Installs handlers for SIGINT, SIGTERM and SIGHUP (Unix): on the first of
/// them, every temporary file and directory still pending is removed and the
/// process ends as the signal's default action would (so a shell sees
/// "terminated by SIGTERM", status 143). Called once by the command line; a
/// library user who writes files decides about signals itself.
pub fn clean_up_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Waits for a set being renamed into place to finish.
                let mut live = live();
                live.terminating = true;
                for tmp in live.temps.drain(..) {
                    let _ = fs::remove_file(tmp);
                }
                for dir in live.dirs.drain(..).rev() {
                    let _ = fs::remove_dir(dir); // only if still empty
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    }
}

/// What a file system node is, for messages: "a character device", …
pub fn describe(ft: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

fn not_regular(what: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{what}, not a regular file (chokepoint replaces only regular files)"),
    )
}

/// The path to replace for an output `path`: the path itself when it is a
/// regular file or does not exist; the final target of a symbolic link that
/// leads to a regular file. Anything else is an error that says what the path is.
pub fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(e),
    };
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(path.to_path_buf());
    }
    if !ft.is_symlink() {
        return Err(not_regular(describe(&ft).to_string()));
    }
    let link = fs::read_link(path)
        .map(|l| l.display().to_string())
        .unwrap_or_default();
    let real = fs::canonicalize(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("a symbolic link to {link}, which does not exist (create the target or remove the link)"),
            )
        } else {
            io::Error::new(e.kind(), format!("a symbolic link that cannot be followed: {e}"))
        }
    })?;
    let ft = fs::metadata(&real)?.file_type();
    if ft.is_file() {
        Ok(real)
    } else {
        Err(not_regular(format!(
            "a symbolic link to {}, {}",
            real.display(),
            describe(&ft)
        )))
    }
}

/// The directory a target lives in ("." for a bare file name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Creates `dir` and its missing ancestors, recording each one created so
/// that a failure or a signal can remove them again (deepest last).
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut d = dir;
    loop {
        match fs::symlink_metadata(d) {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                missing.push(d.to_path_buf());
                match d.parent() {
                    Some(p) if !p.as_os_str().is_empty() => d = p,
                    _ => break,
                }
            }
            Err(e) => return Err(e),
        }
    }
    for d in missing.into_iter().rev() {
        let mut live = live();
        if live.terminating {
            return Err(interrupted());
        }
        match fs::create_dir(&d) {
            Ok(()) => {
                live.dirs.push(d.clone());
                created.push(d);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Removes directories this process created (if still empty), and forgets them.
fn remove_dirs(created: &[PathBuf]) {
    let mut live = live();
    for d in created.iter().rev() {
        let _ = fs::remove_dir(d);
        live.dirs.retain(|x| x != d);
    }
}

/// Forgets directories that now hold a committed file.
fn keep_dirs(created: &[PathBuf]) {
    let mut live = live();
    live.dirs.retain(|x| !created.contains(x));
}

/// A temporary file beside its target, written and flushed, not yet renamed.
/// Dropping it removes the temporary file.
struct Staged {
    tmp: Option<tempfile::NamedTempFile>,
    target: PathBuf,
}

impl Staged {
    fn new(target: PathBuf) -> io::Result<Staged> {
        let dir = parent_of(&target);
        // Made and registered under the lock: a signal handler never misses it.
        let mut live = live();
        if live.terminating {
            return Err(interrupted());
        }
        let tmp = tempfile::Builder::new()
            .prefix(".chokepoint-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        live.temps.push(tmp.path().to_path_buf());
        Ok(Staged {
            tmp: Some(tmp),
            target,
        })
    }

    /// Writes the content, sets the permissions and flushes it to disk.
    fn fill(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        let tmp = self.tmp.as_mut().expect("not yet committed");
        write(&mut EarlyWriteback::new(tmp.as_file_mut()))?;
        // tempfile creates 0600 files; outputs are documents meant to be
        // shared, so keep the permissions of the file being replaced, or use
        // rw-r--r--.
        let permissions = match fs::metadata(&self.target) {
            Ok(m) => m.permissions(),
            Err(_) => default_permissions(),
        };
        tmp.as_file().set_permissions(permissions)?;
        tmp.as_file().sync_all()
    }
}

/// A file being staged that asks the kernel to start writing what it has
/// received every few MiB: the final fsync then waits for the last few MiB,
/// not for the whole document (70 MB of JSON at 100,000 items), and the disk
/// works while the rest is produced. Advisory only: the fsync is what makes
/// the file durable, and reports any error.
struct EarlyWriteback<'f> {
    file: &'f mut fs::File,
    written: u64,
    started: u64,
}

impl<'f> EarlyWriteback<'f> {
    const EVERY: u64 = 4 << 20;

    fn new(file: &'f mut fs::File) -> Self {
        EarlyWriteback {
            file,
            written: 0,
            started: 0,
        }
    }

    #[cfg(target_os = "linux")]
    fn start_writeback(&mut self) {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain system call on a file descriptor this struct
        // borrows; SYNC_FILE_RANGE_WRITE only starts writeback of the range.
        unsafe {
            libc::sync_file_range(
                self.file.as_raw_fd(),
                self.started as libc::off64_t,
                (self.written - self.started) as libc::off64_t,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
        self.started = self.written;
    }

    #[cfg(not(target_os = "linux"))]
    fn start_writeback(&mut self) {
        self.started = self.written;
    }
}

impl Write for EarlyWriteback<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= Self::EVERY {
            self.start_writeback();
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let path = tmp.path().to_path_buf();
            live().temps.retain(|p| *p != path);
            drop(tmp);
        }
    }
}

/// Renames every staged file over its target, back to back, with signal
/// handling held off (the handler waits for the lock). On an error the files
/// not yet renamed are removed; the error names the file.
fn commit(staged: Vec<Staged>) -> Result<(), WriteError> {
    let mut live = live();
    if live.terminating {
        drop(live);
        let path = staged.first().map(|s| s.target.clone()).unwrap_or_default();
        drop(staged);
        return Err(WriteError {
            path,
            source: interrupted(),
        });
    }
    let mut result = Ok(());
    let mut rest = Vec::new();
    for mut s in staged {
        if result.is_err() {
            rest.push(s);
            continue;
        }
        let tmp = s.tmp.take().expect("staged once");
        let path = tmp.path().to_path_buf();
        live.temps.retain(|p| *p != path);
        if let Err(e) = tmp.persist(&s.target) {
            result = Err(WriteError {
                path: s.target.clone(),
                source: e.error,
            });
        }
    }
    drop(live);
    drop(rest);
    result
}

/// Writes `bytes` to `path` atomically: a temporary file in the target's
/// directory, flushed and renamed over the target. Readers see the old file or
/// the new one, never a mix. Parent directories are created. A symbolic link
/// is written through; a target that is not a regular file is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Like [`write_atomic`], with the content produced by `write`: a large document
/// is streamed to the temporary file instead of being held in memory whole.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve_target(path)?;
    let mut created = Vec::new();
    let result = (|| {
        create_dirs(parent_of(&target), &mut created)?;
        let mut staged = Staged::new(target)?;
        staged.fill(write)?;
        commit(vec![staged]).map_err(|e| e.source)
    })();
    match &result {
        Ok(()) => keep_dirs(&created),
        Err(_) => remove_dirs(&created),
    }
    result
}

/// Writes a set of files under `dir` (created if needed), as a set: every
/// target is checked before anything is written (each must be a regular
/// file, a symbolic link to one, or absent; the directories on the way must
/// be directories), every file is staged and flushed, and only then are they
/// renamed into place. Any error leaves the old files untouched and removes
/// what was staged; it names the file concerned.
pub fn write_files<B: AsRef<[u8]>>(dir: &Path, files: &[(PathBuf, B)]) -> Result<(), WriteError> {
    let fail = |path: &Path, source: io::Error| WriteError {
        path: path.to_path_buf(),
        source,
    };
    // 1. Check every target; nothing is written before all pass.
    let mut targets = Vec::with_capacity(files.len());
    for (rel, _) in files {
        let path = dir.join(rel);
        // The directories on the way (DIR itself, DIR/diagrams, …).
        let mut ancestors: Vec<&Path> = path
            .ancestors()
            .skip(1)
            .take_while(|a| !a.as_os_str().is_empty())
            .collect();
        ancestors.reverse();
        for a in ancestors {
            match fs::metadata(a) {
                Ok(m) if m.is_dir() => {}
                Ok(m) => {
                    return Err(fail(
                        a,
                        io::Error::new(
                            io::ErrorKind::InvalidInput,
                            format!("{}, not a directory", describe(&m.file_type())),
                        ),
                    ))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => break,
                Err(e) => return Err(fail(a, e)),
            }
        }
        targets.push(resolve_target(&path).map_err(|e| fail(&path, e))?);
    }
    // 2. Stage every file; 3. rename them all into place.
    let mut created = Vec::new();
    let result = (|| {
        let mut staged = Vec::with_capacity(files.len());
        for (target, (_, bytes)) in targets.into_iter().zip(files) {
            create_dirs(parent_of(&target), &mut created).map_err(|e| fail(&target, e))?;
            let mut s = Staged::new(target.clone()).map_err(|e| fail(&target, e))?;
            s.fill(|w| w.write_all(bytes.as_ref()))
                .map_err(|e| fail(&target, e))?;
            staged.push(s);
        }
        commit(staged)
    })();
    match &result {
        Ok(()) => keep_dirs(&created),
        Err(_) => remove_dirs(&created),
    }
    result
}

#[cfg(unix)]
fn default_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> fs::Permissions {
    let file = tempfile::tempfile().expect("a temporary file");
    file.metadata().expect("metadata").permissions()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Several writeback ranges (4 MiB each) and a tail, written in odd-sized
    /// pieces: the file holds every byte in order.
    #[test]
    fn a_document_larger_than_the_writeback_step_lands_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.bin");
        let content: Vec<u8> = (0..(9u32 << 20) + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        write_atomic_with(&p, |w| {
            for piece in content.chunks(1_000_003) {
                w.write_all(piece)?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(fs::read(&p).unwrap(), content);
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.txt");
        write_atomic(&p, b"old").unwrap();
        write_atomic(&p, b"new content").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new content");
        let leftovers: Vec<_> = fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp files left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644, "readable by others, like any document");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.txt", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        std::os::unix::fs::symlink("missing.txt", dir.path().join("dangling")).unwrap();
        let e = write_atomic(&dir.path().join("dangling"), b"x").unwrap_err();
        assert!(e.to_string().contains("which does not exist"), "{e}");
        assert!(!dir.path().join("missing.txt").exists());
    }

    #[test]
    fn a_set_with_one_bad_target_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.csv"), "old a").unwrap();
        fs::create_dir(dir.path().join("b.csv")).unwrap();
        let files = vec![
            (PathBuf::from("a.csv"), b"new a".to_vec()),
            (PathBuf::from("sub/c.csv"), b"new c".to_vec()),
            (PathBuf::from("b.csv"), b"new b".to_vec()),
        ];
        let e = write_files(dir.path(), &files).unwrap_err();
        assert_eq!(e.path, dir.path().join("b.csv"));
        assert!(
            e.to_string().contains("a directory, not a regular file"),
            "{e}"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "old a"
        );
        assert!(!dir.path().join("sub").exists());
        fs::remove_dir(dir.path().join("b.csv")).unwrap();
        write_files(dir.path(), &files).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("sub/c.csv")).unwrap(),
            "new c"
        );
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 3, "a.csv, b.csv, sub/: no temporary file left");
    }
}
