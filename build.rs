//! Lists every `vocab/*.toml` file so that the binary embeds the whole default vocabulary.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("vocab");
    println!("cargo::rerun-if-changed=vocab");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// Embedded vocabulary files: (name, text).\npub static EMBEDDED_FILES: &[(&str, &str)] = &[\n",
    );
    for n in &names {
        println!("cargo::rerun-if-changed=vocab/{n}");
        let _ = writeln!(
            out,
            "    (\"vocab/{n}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/vocab/{n}\"))),"
        );
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("embedded_vocab.rs"), out) {
        panic!("cannot write the embedded vocabulary list: {e}");
    }
}
