//! Renders the sample report (45 items, two failing) and says how long it took:
//! `cargo run -p yiqifu-report --example sample -- out.pdf [passed|long N]`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .unwrap_or_else(|| "sample-report.pdf".to_owned());
    let report = match args.next().as_deref() {
        Some("passed") => common::industrial_passed(),
        Some("markup") => common::markup(),
        Some("long") => common::long(args.next().and_then(|n| n.parse().ok()).unwrap_or(60)),
        _ => common::industrial(),
    };
    let items: usize = report.sections.iter().map(|s| s.items.len()).sum();
    // The first render in a process parses the fonts and builds typst's library; later ones
    // reuse what typst memoized, so each round changes the name to keep that honest.
    for round in 1..=3 {
        let mut report = report.clone();
        if round > 1 {
            report.company_name = format!("{}（第 {round} 次）", report.company_name);
        }
        let started = Instant::now();
        let pdf = yiqifu_report::render(&report)?;
        let took = started.elapsed();
        std::fs::write(&out, &pdf)?;
        println!(
            "render {round}: {items} items, {:.0} ms, {} bytes -> {out}",
            took.as_secs_f64() * 1000.0,
            pdf.len()
        );
    }
    Ok(())
}
