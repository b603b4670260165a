//! `qualkit init DIR`: a new study folder ready for a researcher's files.

use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::args::InitArgs;
use super::{Context, output};

const MANIFEST: &str = r#"format = 1
name = "My study"
language = "english"
waves = ["pre", "post"]

[participants]
file = "participants.csv"
id = "id"
# ordinal = { ability = ["low", "middle", "high"] }

[[sources]]
path = "interviews"
kind = "interview"
name = "{participant}_{wave}"        # e.g. interviews/P01_pre.txt

# [[sources]]
# path = "questionnaires/survey.csv"
# kind = "questionnaire"
# respondent = "id"
# wave = "pre"
# open = ["question_1"]

[coding]
codebook = "codebooks/mentoring-core.toml"
unit = "sentence"
speakers = "respondents"

[compare]
by = "wave"
from = "pre"
to = "post"
"#;

const EXAMPLE: &str = "---\nparticipant: P01\nwave: pre\n---\nExample interview (replace with your transcripts)\n\nInterviewer: What do you think mentoring is for?\nP01: Um, I think it's to help you set targets and stay on track.\n";

/// The starter codebook: the bundled mentoring-core codebook.
const CODEBOOK: &str = include_str!("../../codebooks/mentoring-core.toml");

/// Create the study folder.
pub fn run(args: &InitArgs, context: &Context) -> Result<ExitCode> {
    let dir = &args.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .with_context(|| format!("{}: cannot read", dir.display()))?
            .next()
            .is_some()
    {
        bail!("{}: folder is not empty; qualkit init never overwrites files", dir.display());
    }
    let files: [(&str, &str); 4] = [
        ("study.toml", MANIFEST),
        ("participants.csv", "id,role,gender\nP01,student,female\n"),
        ("interviews/P01_pre.txt", EXAMPLE),
        ("codebooks/mentoring-core.toml", CODEBOOK),
    ];
    for (relative, text) in files {
        let path = dir.join(relative);
        output::create_parent(&path)?;
        std::fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    std::fs::create_dir_all(dir.join("questionnaires"))?;
    output::notice(
        context.quiet,
        &format!(
            "created {}; add transcripts to interviews/ and participants to participants.csv, then `qualkit --study {} run`",
            dir.display(),
            dir.display()
        ),
    );
    Ok(ExitCode::SUCCESS)
}
