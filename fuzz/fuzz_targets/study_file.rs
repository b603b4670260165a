//! One input file parsed in a real study (the `mini` test fixture): the first byte picks the
//! source and the format — an interview or focus-group transcript as .txt, .md, .vtt, .srt,
//! .docx or .odt, or the staff questionnaire as .csv or .xlsx — and the rest is the file.
//! Every document that parses must cut into segments on char boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use qualkit::corpus::{participants::Participants, parse_file};
use qualkit::segment::{Unit, split};
use qualkit::study::Study;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

static STUDY: LazyLock<(Study, Participants)> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mini");
    let study = Study::load(&root).expect("the mini fixture loads");
    let file = &study.participants.file;
    let bytes = std::fs::read(study.resolve(file)).expect("participants.csv");
    let participants = Participants::parse(file, &bytes, &study.participants).expect("parses");
    (study, participants)
});

const FILES: [(usize, &str); 9] = [
    (0, "interviews/S01_pre.txt"),
    (0, "interviews/S02_post.md"),
    (0, "interviews/S01_post.vtt"),
    (0, "interviews/S02_pre.srt"),
    (0, "interviews/S01_pre.docx"),
    (0, "interviews/S02_pre.odt"),
    (1, "groups/G1_post.txt"),
    (2, "questionnaires/staff.csv"),
    (2, "questionnaires/staff.xlsx"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let (study, participants) = &*STUDY;
    let (source, file) = FILES[usize::from(which) % FILES.len()];
    let source = &study.sources[source];
    let Ok(contents) = parse_file(study, participants, source, &PathBuf::from(file), rest) else {
        return;
    };
    for document in &contents.documents {
        for unit in [Unit::Turn, Unit::Sentence, Unit::Paragraph] {
            for range in split(&document.text, unit) {
                assert!(document.text.is_char_boundary(range.start));
                assert!(document.text.is_char_boundary(range.end));
            }
        }
    }
});
