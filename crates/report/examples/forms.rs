//! Renders the three sample forms and says how long each took:
//! `cargo run -p yiqifu-report --example forms -- OUT_DIR [STAFF|markup]` writes
//! application-form.pdf, commitment-letter.pdf and receipt.pdf, with STAFF returning staff in
//! the annexes (default 40; try 2000), or with user text that looks like typst markup.

#[path = "../tests/forms_fixtures/mod.rs"]
mod forms_fixtures;

use std::path::PathBuf;
use std::time::Instant;

use forms_fixtures as fx;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));
    let variant = args.next().unwrap_or_default();
    let markup = variant == "markup";
    let staff: usize = variant.parse().unwrap_or(40);
    std::fs::create_dir_all(&dir)?;

    let form = if markup {
        fx::application_form_markup()
    } else {
        fx::application_form(staff)
    };
    let letter = if markup {
        fx::commitment_letter_markup()
    } else {
        fx::commitment_letter(staff)
    };
    let receipt = if markup {
        fx::receipt_markup()
    } else {
        fx::receipt()
    };

    type Render = Box<dyn Fn() -> Result<Vec<u8>, yiqifu_report::Error>>;
    let documents: [(&str, Render); 3] = [
        (
            "application-form.pdf",
            Box::new(move || yiqifu_report::render_application_form(&form)),
        ),
        (
            "commitment-letter.pdf",
            Box::new(move || yiqifu_report::render_commitment_letter(&letter)),
        ),
        (
            "receipt.pdf",
            Box::new(move || yiqifu_report::render_receipt(&receipt)),
        ),
    ];
    for (name, render) in documents {
        let started = Instant::now();
        let pdf = render()?;
        let took = started.elapsed();
        let out = dir.join(name);
        std::fs::write(&out, &pdf)?;
        println!(
            "{name}: {:.0} ms, {} bytes -> {}",
            took.as_secs_f64() * 1000.0,
            pdf.len(),
            out.display()
        );
    }
    Ok(())
}
