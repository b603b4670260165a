//! Data safety: a run killed at any moment leaves complete outputs (the previous or the
//! new ones, never a mix or nothing), the next run is correct, and a damaged index is
//! rebuilt rather than trusted.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{fixture, qualkit};
use sha2::{Digest, Sha256};

/// Every output `run.json` lists exists with the hash it records.
fn complete(out: &Path) -> Result<usize, String> {
    let run: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("run.json")).map_err(|e| format!("run.json: {e}"))?,
    )
    .map_err(|e| format!("run.json: {e}"))?;
    let outputs = run["outputs"].as_array().ok_or("no outputs")?;
    for output in outputs {
        let path = out.join(output["path"].as_str().ok_or("path")?);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let hash: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        if output["sha256"].as_str() != Some(hash.as_str()) {
            return Err(format!("{} does not match run.json", path.display()));
        }
    }
    Ok(outputs.len())
}

/// Start `qualkit run` on `study` after adding a turn to `transcript`: a changed input, so
/// the run builds the index again and writes different outputs. Ctrl-C (SIGINT) is not
/// ignored in it, as it is not at a terminal, whatever this test inherited (a shell's
/// background job ignores it, and qualkit leaves an ignored signal ignored).
fn edit_and_run(study: &Path, transcript: &Path, attempt: u64) -> std::process::Child {
    let mut text = std::fs::read_to_string(transcript).expect("transcript");
    text.push_str(&format!("\nR: Edit number {attempt}, about targets.\n"));
    std::fs::write(transcript, text).expect("edit");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_qualkit"));
    command.arg("--study").arg(study).args(["-q", "run"]);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: signal() is async-signal-safe, as a child's code before exec must be.
        unsafe {
            command.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
    }
    command.spawn().expect("spawn")
}

#[test]
fn a_run_killed_at_any_moment_leaves_complete_outputs() {
    let study = fixture("mini");
    qualkit(study.path()).arg("run").assert().success();
    let out = study.path().join("out");
    complete(&out).expect("first run complete");
    let started = std::time::Instant::now();
    qualkit(study.path()).arg("run").assert().success();
    let duration = started.elapsed().as_millis() as u64;
    let transcript = study.path().join("interviews/S01_pre.txt");
    for attempt in 0..24u64 {
        let mut child = edit_and_run(study.path(), &transcript, attempt);
        // spread the kills over the whole run, index build included
        std::thread::sleep(Duration::from_millis(attempt * (duration * 2 + 50) / 24));
        let _ = child.kill();
        let _ = child.wait();
        let files = complete(&out).unwrap_or_else(|e| panic!("kill {attempt}: {e}"));
        assert!(files > 10, "kill {attempt}: {files} outputs");
    }
    // the next run is correct: the same bytes as a run in a fresh copy of the final inputs
    qualkit(study.path()).arg("run").assert().success();
    let fresh = tempfile::tempdir().expect("temp");
    common::copy_dir(study.path(), fresh.path());
    let _ = std::fs::remove_dir_all(fresh.path().join(".qualkit"));
    let _ = std::fs::remove_dir_all(fresh.path().join("out"));
    qualkit(fresh.path()).arg("run").assert().success();
    for file in ["codings.csv", "tables/themes.csv", "report.html"] {
        assert_eq!(
            std::fs::read(out.join(file)).expect("ours"),
            std::fs::read(fresh.path().join("out").join(file)).expect("fresh"),
            "{file}"
        );
    }
    let leftovers: Vec<String> = std::fs::read_dir(study.path())
        .expect("study")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders left behind: {leftovers:?}");
    // nor temporaries, half-built indexes, claims or the lock in the cache
    let cache_leftovers = work_in_progress(study.path(), true);
    assert!(cache_leftovers.is_empty(), "left in the cache: {cache_leftovers:?}");
}

/// What commands' work in progress is in `study`: staging folders beside `out`, and in the
/// cache temporaries, half-built indexes, old indexes moved aside, claims' lock files and
/// (with `lock`) the study's lock file.
fn work_in_progress(study: &Path, lock: bool) -> Vec<std::path::PathBuf> {
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(study)
        .expect("study")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".out.")))
        .collect();
    let mut folders = vec![study.join(".qualkit")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("cache folder") {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            // (tantivy keeps its own lock files in an index, and each index its lock beside
            // its folder, `<unit>.lock`)
            let index_lock = folder.ends_with(".qualkit/index")
                && name.strip_suffix(".lock").is_some_and(|unit| !unit.contains(['.', '-']));
            let claim = name.ends_with(".lock") && !name.starts_with(".tantivy-") && !index_lock;
            if name.contains(".tmp-")
                || name.contains(".building-")
                || name.contains(".old-")
                || claim
                || (lock && name == "lock")
            {
                found.push(entry.path());
            } else if entry.file_type().expect("type").is_dir() {
                folders.push(entry.path());
            }
        }
    }
    found
}

#[test]
#[cfg(unix)]
fn a_command_stopped_by_ctrl_c_leaves_no_work_in_progress() {
    use std::os::unix::process::ExitStatusExt;
    let study = fixture("mini");
    qualkit(study.path()).arg("run").assert().success();
    let out = study.path().join("out");
    let started = std::time::Instant::now();
    qualkit(study.path()).arg("run").assert().success();
    let duration = started.elapsed().as_millis() as u64;
    let transcript = study.path().join("interviews/S01_pre.txt");
    let mut stopped = 0;
    for attempt in 0..16u64 {
        let child = edit_and_run(study.path(), &transcript, attempt);
        std::thread::sleep(Duration::from_millis(attempt * (duration * 2 + 50) / 16));
        // SAFETY: a plain call; the child is not yet reaped, so its id is still its own
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let status = child.wait_with_output().expect("wait").status;
        assert!(
            status.success() || status.signal() == Some(libc::SIGINT),
            "stop {attempt}: {status:?}"
        );
        stopped += usize::from(!status.success());
        // nothing of its work is left, without another command's sweep; the study's lock
        // file may be (a stopped run's is taken over)
        let left = work_in_progress(study.path(), false);
        assert!(left.is_empty(), "stop {attempt} left {left:?}");
        complete(&out).unwrap_or_else(|e| panic!("stop {attempt}: {e}"));
    }
    assert!(stopped > 4, "only {stopped} of 16 runs were stopped before they ended");
}

#[test]
fn a_damaged_index_is_rebuilt_not_trusted() {
    let study = fixture("mini");
    let run = |study: &Path| {
        let output = qualkit(study).args(["themes", "--format", "csv"]).output().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    let before = run(study.path());
    // flip bytes in every file of the cached index (the fingerprint file left intact)
    let index = study.path().join(".qualkit/index/sentence");
    let mut damaged = 0;
    for entry in std::fs::read_dir(&index).expect("index") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n.to_string_lossy().contains("fingerprint")) {
            continue;
        }
        let mut bytes = std::fs::read(&path).expect("read");
        if bytes.len() > 8 {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0xff;
            std::fs::write(&path, bytes).expect("write");
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    assert_eq!(run(study.path()), before, "the damaged index was rebuilt");
}
