//! Analysis throughput of the whole pipeline (prose masking, matching, sentences, context, rules)
//! on realistic note text of 10 KB, 100 KB and 1 MB, with the embedded vocabulary and with a
//! generated 100,000-term vocabulary; the incremental re-analysis after a one-character edit (what the server does on a keystroke); and the time to
//! load the vocabularies.
//!
//! Run: `cargo bench --bench analysis` (figures in docs/PERFORMANCE.md).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use immuno_ls::analysis::{Analyzer, BlockCache, RuleSettings};
use immuno_ls::text::prose::Format;
use immuno_ls::vocab::{VocabFile, embedded, load};

/// Realistic note text: the sample draft and the example leaflet, repeated to `size` bytes.
fn note_text(size: usize) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let parts = [
        std::fs::read_to_string(format!("{root}/tests/fixtures/sample-draft.txt"))
            .unwrap_or_default(),
        std::fs::read_to_string(format!("{root}/examples/eczema-leaflet.md")).unwrap_or_default(),
    ];
    let unit = parts.join("\n\n");
    let mut out = String::with_capacity(size + unit.len());
    while out.len() < size {
        out.push_str(&unit);
        out.push_str("\n\n");
    }
    let mut end = size.min(out.len());
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out
}

/// A generated vocabulary of `n` entries with a realistic mix of shapes: one-word names, two- and
/// three-word phrases, abbreviations with digits and hyphens, and synonyms.
pub fn synthetic_vocab(n: usize) -> String {
    const SYL: &[&str] = &[
        "ka", "lo", "mi", "ter", "zu", "ran", "vel", "pho", "cy", "tin", "dra", "gon", "sel",
        "mab", "nib", "lix", "quo", "bre", "sta", "fen",
    ];
    const HEADS: &[&str] = &[
        "cell", "receptor", "pathway", "protein", "syndrome", "factor", "kinase", "antigen",
    ];
    let mut out = String::with_capacity(n * 200);
    for i in 0..n {
        let a = SYL[i % SYL.len()];
        let b = SYL[(i / SYL.len()) % SYL.len()];
        let c = SYL[(i / (SYL.len() * SYL.len())) % SYL.len()];
        let word = format!("{a}{b}{c}{}", i / 8000);
        let name = match i % 4 {
            0 => word.clone(),
            1 => format!("{word} {}", HEADS[i % HEADS.len()]),
            2 => format!(
                "{word} {} {}",
                HEADS[(i / 3) % HEADS.len()],
                HEADS[i % HEADS.len()]
            ),
            _ => format!("XQ{}-K{}", i % 997, i / 997),
        };
        out.push_str(&format!(
            "[[entry]]\nid = \"syn-{i}\"\nkind = \"concept\"\nname = \"{name}\"\nsynonyms = [\"{word}-{i}\"]\ndefinition = \"Synthetic entry {i}.\"\nsources = [{{ title = \"generated\", url = \"https://example.org/{i}\" }}]\n\n"
        ));
    }
    out
}

fn analyzer_with(extra: Option<String>) -> Analyzer {
    let mut files = embedded::files();
    if let Some(text) = extra {
        files.push(VocabFile {
            name: "synthetic.toml".into(),
            text,
            user: true,
        });
    }
    match load(&files) {
        Ok(v) => Analyzer::new(Arc::new(v)),
        Err(e) => panic!("vocabulary errors: {:?}", &e[..e.len().min(3)]),
    }
}

fn bench_analysis(c: &mut Criterion) {
    let settings = RuleSettings::default();
    let embedded = analyzer_with(None);
    let large = analyzer_with(Some(synthetic_vocab(100_000)));
    for (label, analyzer) in [("embedded", &embedded), ("100k-terms", &large)] {
        let mut group = c.benchmark_group(format!("analysis/{label}"));
        for size in [10_000, 100_000, 1_000_000] {
            let text = note_text(size);
            group.throughput(Throughput::Bytes(text.len() as u64));
            if size == 1_000_000 {
                group.sample_size(10);
            }
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("{}KB", size / 1000)),
                &text,
                |b, t| b.iter(|| analyzer.analyze(black_box(t), Format::Markdown, &settings)),
            );
        }
        group.finish();
    }
}

/// One character typed in the middle of the note (and taken out again, so every iteration
/// starts from the same text), re-analysed with the note's block cache.
fn bench_edit(c: &mut Criterion) {
    let settings = RuleSettings::default();
    let analyzer = analyzer_with(None);
    let mut group = c.benchmark_group("edit/embedded");
    for size in [10_000, 100_000, 1_000_000] {
        let text = note_text(size);
        let mut middle = text.len() / 2;
        while !text.is_char_boundary(middle) {
            middle -= 1;
        }
        let mut edited = text.clone();
        edited.insert(middle, 'x');
        let mut cache = BlockCache::new();
        analyzer.analyze_incremental(&text, Format::Markdown, &settings, &mut cache);
        let mut flip = false;
        group.bench_function(
            BenchmarkId::from_parameter(format!("{}KB", size / 1000)),
            |b| {
                b.iter(|| {
                    flip = !flip;
                    let t = if flip { &edited } else { &text };
                    analyzer.analyze_incremental(
                        black_box(t),
                        Format::Markdown,
                        &settings,
                        &mut cache,
                    )
                })
            },
        );
    }
    group.finish();
}

fn bench_vocab_load(c: &mut Criterion) {
    let synthetic = synthetic_vocab(100_000);
    let mut group = c.benchmark_group("vocab");
    group.sample_size(10);
    group.bench_function("load-embedded", |b| b.iter(|| analyzer_with(None)));
    group.bench_function("load-100k-terms", |b| {
        b.iter(|| analyzer_with(Some(synthetic.clone())))
    });
    group.finish();
}

criterion_group!(benches, bench_analysis, bench_edit, bench_vocab_load);
criterion_main!(benches);
