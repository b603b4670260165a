//! The HTML report in a real browser: it loads in headless Chromium with no console errors,
//! its sections are there and its script fills the segment browser. Skipped with a message
//! where Chromium is absent (`.ci/run` installs Debian's `chromium`).

mod common;

use common::{qualkit, sample_study, write};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|b| {
        std::process::Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success())
    })
}

/// The DOM after scripts ran, and the browser's log.
fn load(browser: &str, page: &std::path::Path) -> (String, String) {
    let profile = tempfile::tempdir().expect("temp");
    let output = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn report_loads_in_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        eprintln!("skipping: chromium not installed (.ci/run installs it)");
        return;
    };
    let study = sample_study();
    write(
        study.path(),
        "interviews/students/S08_post.txt",
        b"---\nparticipant: S08\nwave: post\n---\nInterviewer: Targets?\nS08: My target is <script>document.title='pwned'</script> a grade 6.\n",
    );
    qualkit(study.path()).arg("run").assert().success();
    let (dom, log) = load(browser, &study.path().join("out/report.html"));
    let console: Vec<&str> =
        log.lines().filter(|l| l.contains("CONSOLE") || l.contains("Uncaught")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    for section in [
        "id=\"summary\"",
        "id=\"codebook\"",
        "id=\"themes\"",
        "id=\"compare\"",
        "id=\"crosstab-ability\"",
        "id=\"quotes\"",
        "id=\"segments\"",
    ] {
        assert!(dom.contains(section), "missing {section}");
    }
    assert!(dom.contains(" segments"), "the segment browser did not run");
    assert!(dom.contains("<title>Academic mentoring pilot"), "a transcript changed the page title");
    assert!(
        dom.contains("&lt;script&gt;document.title"),
        "the transcript's markup is shown as text"
    );
}
