//! Criterion benchmarks of every pipeline stage on the bundled sample study (118 documents,
//! about 0.5 MB of text), so a change's cost shows per stage: ingest (decode + parse),
//! segmentation, index build, coding, each analysis, each renderer, and the whole run in
//! memory. Run: `cargo bench --bench stages` (whole-program scale: `benches/scale.sh`).

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

use qualkit::analysis::Dataset;
use qualkit::analysis::agree::{Comparison, Level, ManualCodings, read_manual};
use qualkit::analysis::compare::{CompareOptions, McNemarTest, compare};
use qualkit::analysis::cooccur::{CooccurUnit, cooccur};
use qualkit::analysis::crosstab::{CrosstabOptions, crosstab};
use qualkit::analysis::likert::likert;
use qualkit::analysis::saturation::saturation;
use qualkit::analysis::themes::{ThemeOptions, themes};
use qualkit::codebook::Codebook;
use qualkit::corpus::Corpus;
use qualkit::export::{Format, render};
use qualkit::index::SegmentIndex;
use qualkit::segment::{Unit, segment};
use qualkit::stats::adjust::Adjustment;
use qualkit::study::Study;

// the allocator the binary uses, so the stages cost here what they cost in `qualkit`
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn stages(c: &mut Criterion) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("corpora/mentoring-pilot");
    copy_dir(&repo.join("corpora/mentoring-pilot"), &root);
    copy_dir(&repo.join("codebooks"), &dir.path().join("codebooks"));
    let study = Study::load(&root).expect("study");
    let codebook =
        Codebook::load(&dir.path().join("codebooks/mentoring-core.toml")).expect("codebook");

    c.bench_function("ingest: decode and parse the study", |b| {
        b.iter(|| Corpus::load(black_box(&study)).expect("corpus"))
    });
    let corpus = Corpus::load(&study).expect("corpus");
    c.bench_function("segment: sentences", |b| {
        b.iter(|| segment(black_box(&corpus), Unit::Sentence))
    });
    let segments = segment(&corpus, Unit::Sentence);
    let index_dir = study.cache_dir().join("index");
    // the sentence index of the speakers the study codes, opened or built
    let open_index = || {
        let speakers = study.coding.speakers;
        SegmentIndex::open_or_build(
            &study,
            &corpus,
            &segments,
            Unit::Sentence,
            speakers,
            &mut |_, _| {},
            &mut |_| {},
        )
        .expect("index")
    };
    c.bench_function("index: build (sentences)", |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_dir_all(&index_dir);
            },
            |()| open_index(),
            BatchSize::PerIteration,
        )
    });
    let index = open_index();
    c.bench_function("index: reopen", |b| b.iter(open_index));
    let apply = || {
        qualkit::coding::apply(&codebook, &index, &corpus, &segments, study.coding.speakers)
            .expect("codings")
    };
    // rule matches are cached beside the index: measured without the cache and from it
    let matches = study.cache_dir().join("index/sentence/rule-matches-respondents.bin");
    c.bench_function("coding: apply mentoring-core, every rule searched", |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_file(&matches);
            },
            |()| apply(),
            criterion::BatchSize::PerIteration,
        )
    });
    apply();
    assert!(matches.exists(), "rule matches were not cached");
    c.bench_function("coding: apply mentoring-core, matches cached", |b| b.iter(apply));
    let codings = apply();
    let data = || Dataset::new(&study, &corpus, &segments, Unit::Sentence, &codebook, &codings);

    let mut analyses = c.benchmark_group("analysis");
    analyses.bench_function("themes", |b| {
        b.iter(|| themes(&data(), &ThemeOptions::default()).expect("table"))
    });
    analyses.bench_function("themes by wave", |b| {
        let options = ThemeOptions { by: vec!["wave".into()], ..Default::default() };
        b.iter(|| themes(&data(), &options).expect("table"))
    });
    let compare_options = CompareOptions {
        by: "wave".into(),
        from: "pre".into(),
        to: "post".into(),
        within: None,
        adjustment: Adjustment::Holm,
        test: McNemarTest::Exact,
        quotes: 0,
    };
    analyses.bench_function("compare", |b| {
        b.iter(|| compare(&data(), &compare_options).expect("table"))
    });
    let crosstab_options =
        CrosstabOptions { by: vec!["gender".into()], wave: None, adjustment: Adjustment::Holm };
    analyses.bench_function("crosstab gender", |b| {
        b.iter(|| crosstab(&data(), &crosstab_options).expect("table"))
    });
    analyses.bench_function("cooccur", |b| b.iter(|| cooccur(&data(), CooccurUnit::Segment)));
    analyses.bench_function("saturation", |b| b.iter(|| saturation(&data())));
    analyses.bench_function("likert", |b| b.iter(|| likert(&study, &corpus)));
    let mut manual = ManualCodings::default();
    for coder in ["hana", "tom"] {
        let path = root.join(format!("codings/{coder}.csv"));
        read_manual(&data(), &path, &std::fs::read(&path).expect("codings"), &mut manual)
            .expect("read");
    }
    analyses.bench_function("agree (segments, bootstrap)", |b| {
        b.iter(|| {
            let data = data();
            let comparison = Comparison::new(&data, &manual.annotations, Level::Segment);
            comparison.table(&comparison.codes(&[]).expect("codes"))
        })
    });
    analyses.finish();

    let table = themes(&data(), &ThemeOptions { by: vec!["wave".into()], ..Default::default() })
        .expect("table");
    let mut renderers = c.benchmark_group("render");
    for (name, format) in [
        ("text", Format::Text),
        ("csv", Format::Csv),
        ("json", Format::Json),
        ("markdown", Format::Markdown),
        ("latex", Format::Latex),
        ("html", Format::Html),
    ] {
        renderers.bench_function(name, |b| b.iter(|| render(black_box(&table), format)));
    }
    renderers
        .bench_function("docx", |b| b.iter(|| qualkit::export::docx::render(black_box(&table))));
    let chart = qualkit::chart::themes_by_group(&table).expect("chart");
    renderers.bench_function("chart svg + png", |b| {
        b.iter(|| qualkit::chart::render(black_box(&chart)).expect("chart"))
    });
    renderers.bench_function("codings.csv", |b| {
        b.iter(|| {
            let attributes = &corpus.participants.attributes;
            let columns = qualkit::coding::Columns { text: false, attributes };
            qualkit::coding::to_csv(&codings, &corpus, &segments, columns)
        })
    });
    renderers.bench_function("segments.csv", |b| {
        b.iter(|| {
            qualkit::coding::write_segments_csv(&corpus, &segments, Vec::new()).expect("in memory")
        })
    });
    renderers.finish();

    c.bench_function("run: every output in memory", |b| {
        b.iter(|| {
            qualkit::pipeline::outputs(&mut data(), b"codebook").expect("outputs").in_memory()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(3));
    targets = stages
}
criterion_main!(benches);
