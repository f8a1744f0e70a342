//! Printing results: aligned text for people, JSON for scripts.

use std::io::Write;

use serde::Serialize;

pub struct Out {
    pub json: bool,
}

impl Out {
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// Prints `value` as JSON, or the human rendering `text` builds. A
    /// reader that went away (`keyport … | head`) is not an error worth
    /// dying for — least of all for `sandbox serve`, which keeps serving.
    pub fn emit<T: Serialize + ?Sized>(&self, value: &T, text: impl FnOnce() -> String) {
        let output = if self.json { serde_json::to_string_pretty(value).expect("results serialise") } else { text() };
        if !output.is_empty() {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{}", output.trim_end()).and_then(|()| stdout.flush());
        }
    }
}

/// Left-aligned columns under a header row.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// `label: value` lines with the labels aligned.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    pairs.iter().map(|(k, v)| format!("{:<width$}  {v}\n", format!("{k}:"), width = width + 1)).collect()
}
