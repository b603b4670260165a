//! The self-contained HTML report: one file, inline CSS, SVG and JavaScript, no network.
//!
//! Sections: study summary, codebook, the analysis tables, charts, exemplar quotes with the
//! evidence words highlighted, and a filterable browser of every coded segment. All corpus
//! text is escaped ([`escape`]); the segment browser's data is embedded as JSON with `<`
//! written as `\u003c`, and the script only ever sets `textContent`, so a transcript holding
//! `<script>` shows as text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use crate::analysis::Dataset;
use crate::analysis::exemplars::exemplars_of_all;
use crate::export::{self, Format, html::escape};
use crate::table::{Grouped, Table};

/// A named table or chart in the report.
pub struct Section {
    /// Anchor id (`themes`, `compare`, …).
    pub id: String,
    /// Heading.
    pub title: String,
    /// HTML body (already escaped / rendered).
    pub html: String,
}

impl Section {
    /// A section holding one table.
    pub fn table(id: &str, title: &str, table: &Table) -> Section {
        Section {
            id: id.to_owned(),
            title: title.to_owned(),
            html: export::render(table, Format::Html),
        }
    }
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;line-height:1.45}
header{background:#0072B2;color:#fff;padding:1.2rem 2rem}header h1{margin:0;font-size:1.6rem}
nav{padding:.5rem 2rem;background:#f2f2f2;position:sticky;top:0;border-bottom:1px solid #ddd}
nav a{margin-right:1rem;color:#0072B2;text-decoration:none}
main{padding:0 2rem 3rem;max-width:1400px}section{margin-top:2rem}
table{border-collapse:collapse;font-size:.88rem;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#fafafa}td.num{text-align:right;font-variant-numeric:tabular-nums}
tfoot td{font-size:.8rem;color:#555;border:none}
mark{background:#F0E442;padding:0 .1em}
.quote{margin:.4rem 0 .8rem 1rem;border-left:3px solid #56B4E9;padding-left:.7rem}
.who{color:#555;font-size:.85rem}
.controls{display:flex;gap:1rem;flex-wrap:wrap;margin:.5rem 0}
.controls label{font-size:.9rem}#count{color:#555;font-size:.9rem}
.chart{max-width:900px}.chart svg{width:100%;height:auto}
"#;

const SCRIPT: &str = r#"
(function () {
  var data = JSON.parse(document.getElementById('segment-data').textContent);
  var code = document.getElementById('filter-code');
  var wave = document.getElementById('filter-wave');
  var text = document.getElementById('filter-text');
  var body = document.getElementById('segment-rows');
  var count = document.getElementById('count');
  function cell(row, value) { var td = document.createElement('td'); td.textContent = value; row.appendChild(td); return td; }
  function highlighted(td, segment) {
    var pos = 0;
    segment.evidence.forEach(function (span) {
      if (span[0] > pos) td.appendChild(document.createTextNode(segment.text.slice(pos, span[0])));
      var mark = document.createElement('mark'); mark.textContent = segment.text.slice(span[0], span[1]);
      td.appendChild(mark); pos = span[1];
    });
    td.appendChild(document.createTextNode(segment.text.slice(pos)));
  }
  function render() {
    while (body.firstChild) body.removeChild(body.firstChild);
    var needle = text.value.toLowerCase(), shown = 0;
    data.forEach(function (s) {
      if (code.value && s.codes.indexOf(code.value) < 0) return;
      if (wave.value && s.wave !== wave.value) return;
      if (needle && s.text.toLowerCase().indexOf(needle) < 0) return;
      shown += 1;
      if (shown > 500) return;
      var row = document.createElement('tr');
      cell(row, s.document); cell(row, s.speaker); cell(row, s.wave); cell(row, s.codes.join(', '));
      highlighted(cell(row, ''), s);
      body.appendChild(row);
    });
    count.textContent = shown.toLocaleString('en-US') + ' segments' + (shown > 500 ? ' (first 500 shown)' : '');
  }
  [code, wave].forEach(function (e) { e.addEventListener('change', render); });
  text.addEventListener('input', render);
  render();
})();
"#;

/// The whole report as one HTML document.
pub fn render(
    data: &Dataset<'_>,
    sections: &[Section],
    charts: &[Section],
    quotes: usize,
) -> String {
    let mut out = String::new();
    let title = escape(&data.study.name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>{title}</h1><div>qualkit {} report · codebook {} (version {})</div></header>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&data.codebook.name),
        escape(&data.codebook.version)
    );
    let mut nav = vec![("summary", "Study"), ("codebook", "Codebook")];
    nav.extend(sections.iter().map(|s| (s.id.as_str(), s.title.as_str())));
    if !charts.is_empty() {
        nav.push(("charts", "Charts"));
    }
    nav.extend([("quotes", "Quotes"), ("segments", "Coded segments")]);
    out.push_str("<nav>");
    for (id, label) in &nav {
        let _ = write!(out, "<a href=\"#{id}\">{}</a>", escape(label));
    }
    out.push_str("</nav>\n<main>\n");
    // the browser's pass over the codings also counts the segments coded, which the
    // summary gives first
    let (browser, coded) = segment_browser(data);
    out.push_str(&summary(data, coded));
    out.push_str(&codebook(data));
    for section in sections {
        let _ = write!(
            out,
            "<section id=\"{}\"><h2>{}</h2>\n{}</section>\n",
            section.id,
            escape(&section.title),
            section.html
        );
    }
    if !charts.is_empty() {
        out.push_str("<section id=\"charts\"><h2>Charts</h2>\n");
        for chart in charts {
            let _ = writeln!(
                out,
                "<figure class=\"chart\" id=\"{}\">{}<figcaption>{}</figcaption></figure>",
                chart.id,
                chart.html,
                escape(&chart.title)
            );
        }
        out.push_str("</section>\n");
    }
    out.push_str(&quote_section(data, quotes_shown(quotes)));
    out.push_str(&browser);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The study's summary, `coded` segments of participants' speech having a coding.
fn summary(data: &Dataset<'_>, coded: usize) -> String {
    let mut out = String::from("<section id=\"summary\"><h2>Study</h2>\n");
    let participants = &data.corpus.participants;
    let _ = writeln!(
        out,
        "<p>{} participants, {} documents, {} {}s coded ({} coded segments of participants' speech).</p>",
        Grouped(participants.by_id.len()),
        Grouped(data.corpus.documents.len()),
        Grouped(data.segments.len()),
        data.unit.name(),
        Grouped(coded)
    );
    out.push_str("<table><caption>Participants by attribute</caption><thead><tr><th>attribute</th><th>levels (n)</th></tr></thead><tbody>\n");
    for attribute in &participants.attributes {
        let levels = participants.levels(attribute);
        if levels.len() > 12 {
            continue;
        }
        let counts: Vec<String> = levels
            .iter()
            .map(|level| {
                let n = participants
                    .by_id
                    .values()
                    .filter(|p| p.attributes.get(attribute) == Some(level.as_str()))
                    .count();
                format!("{} ({})", escape(level), Grouped(n))
            })
            .collect();
        let _ =
            writeln!(out, "<tr><td>{}</td><td>{}</td></tr>", escape(attribute), counts.join(", "));
    }
    out.push_str("</tbody></table>\n");
    let mut by_wave_kind: BTreeMap<(usize, String, String), usize> = BTreeMap::new();
    for document in &data.corpus.documents {
        let wave = document.wave.clone().unwrap_or_else(|| "–".into());
        *by_wave_kind
            .entry((data.study.wave_rank(&wave), wave, document.kind.name().to_owned()))
            .or_default() += 1;
    }
    out.push_str("<table><caption>Documents by wave and kind</caption><thead><tr><th>wave</th><th>kind</th><th>documents</th></tr></thead><tbody>\n");
    for ((_, wave, kind), n) in &by_wave_kind {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            escape(wave),
            escape(kind),
            Grouped(n)
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
    out
}

fn codebook(data: &Dataset<'_>) -> String {
    let mut out = format!(
        "<section id=\"codebook\"><h2>Codebook: {}</h2>\n<p>{}</p>\n<table><thead><tr><th>code</th><th>definition</th><th>include</th><th>exclude</th><th>rules</th></tr></thead><tbody>\n",
        escape(&data.codebook.name),
        escape(&data.codebook.description)
    );
    for code in &data.codebook.codes {
        let indent = "&emsp;".repeat(data.codebook.depth(&code.id));
        let rules: Vec<String> =
            code.rules.iter().map(|r| format!("<code>{}</code>", escape(&r.text))).collect();
        let _ = writeln!(
            out,
            "<tr><td>{indent}<strong>{}</strong><br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&code.name),
            escape(&code.id),
            escape(&code.description),
            escape(&code.include),
            escape(&code.exclude),
            rules.join("<br>")
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
    out
}

/// How many quotes of each code the report shows, `[run] quotes` being `quotes`: one at
/// least, so a report has quotes to read when its tables have none.
fn quotes_shown(quotes: usize) -> usize {
    quotes.max(1)
}

/// Choose the quotes of every code that [`render`] shows (`quotes` as it is given), ahead of
/// it: chosen once for the dataset ([`exemplars_of_all`]), from the lists of each code's
/// segments the analyses make. A run chooses them before it lets those lists go
/// ([`Dataset::let_lists_go`]), as the report is rendered after: with `[run] quotes = 0` (no
/// quotes in the tables) they were made again for the report alone, 5 s and 200 MB of the
/// peak of a 1 GB study coded with everyday words.
pub fn choose_quotes(data: &Dataset<'_>, quotes: usize) {
    use rayon::prelude::*;
    data.codebook.codes.par_iter().for_each(|code| {
        exemplars_of_all(data, &code.id, quotes_shown(quotes));
    });
}

/// Exemplar quotes per code with the evidence words marked.
fn quote_section(data: &Dataset<'_>, n: usize) -> String {
    use rayon::prelude::*;
    let mut out = String::from(
        "<section id=\"quotes\"><h2>Exemplar quotes</h2>\n<p>Chosen deterministically per code (see the README); the words that matched the code's rules are highlighted.</p>\n",
    );
    // each code's quotes are chosen on their own: in parallel, joined in codebook order
    let codes: Vec<String> =
        data.codebook.codes.par_iter().map(|code| code_quotes(data, code, n)).collect();
    out.extend(codes);
    out.push_str("</section>\n");
    out
}

/// One code's heading and quotes in the report (nothing when it has none).
fn code_quotes(data: &Dataset<'_>, code: &crate::codebook::Code, n: usize) -> String {
    let quotes = exemplars_of_all(data, &code.id, n);
    let mut out = String::new();
    if quotes.is_empty() {
        return out;
    }
    let _ = writeln!(out, "<h3>{}</h3>", escape(&code.name));
    for quote in quotes {
        let segment = &data.segments[quote.segment];
        let evidence: Vec<std::ops::Range<usize>> = data
            .coding_of(&code.id, quote.segment)
            .map(|c| c.evidence.iter().map(|r| r.start as usize..r.end as usize).collect())
            .unwrap_or_default();
        let text = segment.text(data.corpus);
        let _ = writeln!(
            out,
            "<div class=\"quote\">“{}”<div class=\"who\">{}</div></div>",
            marked(text, segment.chars().start, &evidence),
            escape(&quote.attribution)
        );
    }
    out
}

/// `text` escaped, with the document char ranges in `evidence` wrapped in `<mark>`.
fn marked(text: &str, start: usize, evidence: &[std::ops::Range<usize>]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut position = 0;
    for range in evidence {
        let (a, b) = (
            range.start.saturating_sub(start).min(chars.len()),
            range.end.saturating_sub(start).min(chars.len()),
        );
        if a < position {
            continue;
        }
        out.push_str(&escape(&chars[position..a].iter().collect::<String>()));
        let _ = write!(out, "<mark>{}</mark>", escape(&chars[a..b].iter().collect::<String>()));
        position = b;
    }
    out.push_str(&escape(&chars[position..].iter().collect::<String>()));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A segment's codes and its evidence as char ranges within the segment.
type CodedSegment = (Vec<String>, Vec<std::ops::Range<usize>>);

/// Most coded segments the report's browser holds: enough for a study's worth of
/// interviews, without making a report of a large corpus hundreds of megabytes (all
/// codings are in `codings.csv`, the segments' text in `segments.csv`).
pub const BROWSER_LIMIT: usize = 5000;

/// The coded-segment browser's section (the first [`BROWSER_LIMIT`] coded segments), and
/// how many segments of participants' speech have a coding.
fn segment_browser(data: &Dataset<'_>) -> (String, usize) {
    let mut by_segment: BTreeMap<usize, CodedSegment> = BTreeMap::new();
    // how many segments have at least one coding, in the same pass: a flag per segment (a
    // large study has millions of codings), or, for codings in segment order (as coding
    // makes them), each segment counted where its codings start
    let in_order = data.codings.in_segment_order();
    let mut coded = if in_order { Vec::new() } else { vec![false; data.segments.len()] };
    let (mut total, mut last) = (0, None);
    for coding in data.coded(|_| true) {
        if in_order {
            total += usize::from(last.replace(coding.segment) != Some(coding.segment));
        } else {
            coded[coding.segment] = true;
        }
        // past the limit, a segment not held yet is passed over; in segment order, that is
        // any after the last one held, known without looking
        let held_last = by_segment.last_key_value().map(|(&n, _)| n);
        if by_segment.len() >= BROWSER_LIMIT
            && ((in_order && held_last < Some(coding.segment))
                || !by_segment.contains_key(&coding.segment))
        {
            continue;
        }
        let entry = by_segment.entry(coding.segment).or_default();
        entry.0.push(coding.code().to_string());
        let start = data.segments[coding.segment].chars().start;
        entry.1.extend(
            coding.evidence.iter().map(|r| r.start as usize - start..r.end as usize - start),
        );
    }
    let rows: Vec<serde_json::Value> = by_segment
        .into_iter()
        .map(|(n, (codes, evidence))| {
            let merged = crate::query::merge_overlapping(evidence);
            let segment = &data.segments[n];
            json!({
                "document": segment.document(data.corpus).id,
                "speaker": segment.speaker(data.corpus).name(),
                "wave": data.wave(n).unwrap_or(""),
                "codes": codes,
                "text": segment.text(data.corpus),
                "evidence": merged.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
            })
        })
        .collect();
    // JSON inside <script>: `<` escaped so no `</script>` or `<!--` can appear.
    let payload = serde_json::to_string(&rows).expect("segments serialise").replace('<', "\\u003c");
    let mut codes = String::from("<option value=\"\">all codes</option>");
    for code in &data.codebook.codes {
        let _ = write!(
            codes,
            "<option value=\"{}\">{}</option>",
            escape(&code.id),
            escape(&data.code_label(&code.id))
        );
    }
    let mut waves = String::from("<option value=\"\">all waves</option>");
    for wave in &data.study.waves {
        let _ = write!(waves, "<option>{}</option>", escape(wave));
    }
    if !in_order {
        total = coded.iter().filter(|&&c| c).count();
    }
    let limited = if total > rows.len() {
        format!(
            "<p>The first {} of {} coded segments, in document order; every coding is in codings.csv, each segment's text in segments.csv.</p>\n",
            Grouped(rows.len()),
            Grouped(total),
        )
    } else {
        String::new()
    };
    let section = format!(
        "<section id=\"segments\"><h2>Coded segments</h2>\n{limited}<div class=\"controls\"><label>Code <select id=\"filter-code\">{codes}</select></label><label>Wave <select id=\"filter-wave\">{waves}</select></label><label>Text <input id=\"filter-text\" type=\"search\"></label><span id=\"count\"></span></div>\n<table><thead><tr><th>document</th><th>speaker</th><th>wave</th><th>codes</th><th>text</th></tr></thead><tbody id=\"segment-rows\"></tbody></table>\n<script type=\"application/json\" id=\"segment-data\">{payload}</script>\n<script>{SCRIPT}</script>\n</section>\n"
    );
    (section, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_marked_and_text_escaped() {
        let text = "I <b>set</b> targets & goals";
        // "targets" is chars 13..20 of a segment starting at document char 100
        assert_eq!(
            marked(text, 100, std::slice::from_ref(&(113..120))),
            "I &lt;b&gt;set&lt;/b&gt; <mark>targets</mark> &amp; goals"
        );
    }
}
