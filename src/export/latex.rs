//! LaTeX with booktabs: a floating `table` with caption, `tabular` with `l`/`r` columns
//! (`p{…}` for long text, which wraps),
//! `\toprule`/`\midrule`/`\bottomrule`, notes in a footnote-size paragraph under the table.
//! A table taller than [`LONG_AFTER`] lines (18 on a landscape page) is a `longtable`
//! instead, which breaks across
//! pages with its header repeated (a float cannot: a co-occurrence table of a hundred pairs
//! ran off the page). Text columns squeezed at a table's end are set under each row. A table
//! whose columns are wider than a portrait page together is set on a landscape page
//! (`pdflscape`), its columns closer together. Every
//! LaTeX special character in text is escaped, so corpus text cannot run commands. The first
//! line names the packages the preamble needs.

use super::Exporter;
use crate::table::{Table, Value};

/// The LaTeX renderer.
pub struct Latex;

/// Escape the ten LaTeX special characters and `|`, `<`, `>` (which OT1 fonts print
/// wrongly), spell typographic and mathematical symbols as commands; line
/// breaks become spaces. Letters of other scripts (Greek words, CJK) pass through and need
/// XeLaTeX or LuaLaTeX.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '|' => out.push_str("\\textbar{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '\n' | '\r' => out.push(' '),
            _ => match symbol(c) {
                Some(command) => out.push_str(command),
                None => out.push(c),
            },
        }
    }
    out
}

/// Typographic and mathematical characters outside what pdfLaTeX reads from UTF-8 by
/// default, as LaTeX commands, so tables compile in a plain `article` with booktabs.
fn symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2212}' => "$-$",
        '×' => "$\\times$",
        '÷' => "$\\div$",
        '±' => "$\\pm$",
        '≤' => "$\\leq$",
        '≥' => "$\\geq$",
        '≠' => "$\\neq$",
        '·' => "$\\cdot$",
        '→' => "$\\rightarrow$",
        '²' => "\\textsuperscript{2}",
        '³' => "\\textsuperscript{3}",
        '¹' => "\\textsuperscript{1}",
        '…' => "\\ldots{}",
        '“' => "``",
        '”' => "''",
        '‘' => "`",
        '’' => "'",
        '–' => "--",
        '—' => "---",
        '•' => "\\textbullet{}",
        '\u{a0}' => "~",
        'α' => "$\\alpha$",
        'β' => "$\\beta$",
        'κ' => "$\\kappa$",
        'μ' => "$\\mu$",
        'σ' => "$\\sigma$",
        'φ' => "$\\phi$",
        'χ' => "$\\chi$",
        _ => return None,
    })
}

/// Text columns with a cell longer than this many characters wrap in a `p{}` column.
const WRAP_AFTER: usize = 40;

/// Tables taller than this many lines are `longtable`s, broken across pages: about as many
/// one-line rows as a page of a `\small` float holds beside its caption and notes (on an
/// upright page; 18 on a landscape one, `LANDSCAPE`).
pub const LONG_AFTER: usize = 30;

/// The page a table is set on, as the widths and heights here count it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Page {
    /// About how many characters of `\small` text a line of `\linewidth` holds.
    line_chars: f64,
    /// How many characters the space either side of a column takes (`\tabcolsep`).
    gap_chars: f64,
    /// Tables taller than this many lines are `longtable`s.
    long_after: usize,
    /// The narrowest a wrapping column is made, of the line, however little room the others
    /// leave: about 52 pt either way.
    min_wrap: f64,
}

/// Upright: article's 345 pt of text at about 4.5 pt a `\small` character, `\tabcolsep` of
/// 6 pt each side.
const PORTRAIT: Page =
    Page { line_chars: 77.0, gap_chars: 2.7, long_after: LONG_AFTER, min_wrap: 0.15 };

/// Turned (`pdflscape`'s `landscape`): the line is the page's 550 pt text height, columns 4 pt
/// either side (`\tabcolsep`, set by the table), and a page holds 345 pt of rows.
const LANDSCAPE: Page = Page { line_chars: 122.0, gap_chars: 1.8, long_after: 18, min_wrap: 0.1 };

/// The space either side of a column on a landscape page, as LaTeX is told it.
const LANDSCAPE_TABCOLSEP: &str = "4pt";

/// A text column at the end of a table that would get less of the line than this beside the
/// others is set under each row instead, across the table: the theme table's quotes, given
/// 0.15 of the line beside five count columns, made each row a page tall.
const UNDER_BELOW: f64 = 0.35;

/// How wide a line set under a row is, of `\linewidth`, at least and at most.
const UNDER_WIDTH: (f64, f64) = (0.3, 0.85);

/// How wide the lines set under the rows are, of `\linewidth`: narrower than the columns
/// beside each other above them (about the line when one of them wraps, else their cells'
/// widths), which a wider line would widen, moving the last column's numbers away from its
/// heading; less the line's indent.
fn under_width(natural: &[usize], widths: &[Option<f64>], page: Page) -> f64 {
    let row = if widths.iter().any(Option::is_some) {
        1.0
    } else {
        natural.iter().map(|&chars| chars as f64 + page.gap_chars).sum::<f64>() / page.line_chars
    };
    (row - 0.1).clamp(UNDER_WIDTH.0, UNDER_WIDTH.1)
}

/// Escape a cell; in wrapping columns, set ragged right, each line break becomes
/// `\newline`. Leading spaces (child codes are indented by two per level) become
/// `\hspace*{1em}` per level.
fn cell(text: &str, wraps: bool) -> String {
    let body = text.trim_start_matches(' ');
    let indent = "\\hspace*{1em}".repeat((text.len() - body.len()) / 2);
    if !wraps {
        return format!("{indent}{}", escape(body));
    }
    // set ragged right: a narrow column justified spread its words apart
    let lines: Vec<String> = body.lines().map(escape).collect();
    format!("\\raggedright {indent}{}", lines.join("\\newline "))
}

/// A header is broken into lines only where it is longer than this and than its cells.
const HEADER_CHARS: usize = 10;

/// A column's header in lines: its words put together up to `width` characters (or its
/// longest word). The caller keeps `N = 24` whole by joining it with no-break spaces.
fn header_lines(name: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in name.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Each column's width in characters as set on one line: its widest cell, or its header's
/// longest line.
fn natural_widths(widest: &[usize], headers: &[Vec<String>]) -> Vec<usize> {
    let header = |lines: &Vec<String>| lines.iter().map(|line| line.chars().count()).max();
    widest
        .iter()
        .zip(headers)
        .map(|(&cells, lines)| header(lines).unwrap_or(0).max(cells))
        .collect()
}

/// The width of each wrapping column as a share of `\linewidth`, `None` for the others:
/// the wrapping columns share the room the others leave ([`natural_widths`]), by their
/// longest cells, each at least the page's `min_wrap` (a table whose other columns take the
/// whole line is wider than the page).
fn column_widths(natural: &[usize], wraps: &[bool], page: Page) -> Vec<Option<f64>> {
    let chars = |i: usize| natural[i] as f64;
    let taken: f64 =
        (0..wraps.len()).map(|i| page.gap_chars + if wraps[i] { 0.0 } else { chars(i) }).sum();
    let room = ((page.line_chars - taken) / page.line_chars).max(0.0);
    // a wrapping column's claim: its longest cell, up to a few lines' worth
    let claims: Vec<f64> = (0..wraps.len())
        .map(|i| if wraps[i] { chars(i).min(3.0 * page.line_chars) } else { 0.0 })
        .collect();
    let claimed: f64 = claims.iter().sum();
    let share = |i: usize| (room * claims[i] / claimed).max(page.min_wrap);
    (0..wraps.len()).map(|i| wraps[i].then(|| share(i))).collect()
}

/// How many columns are set side by side in a row, and their widths ([`column_widths`]):
/// trailing text columns that would get less than [`UNDER_BELOW`] of the line are set under
/// the row, each on a line of its own. Only trailing ones: a line under a row reads as
/// belonging to the whole row, where a text column between others is read across with them.
fn row_layout(natural: &[usize], wraps: &[bool], page: Page) -> (usize, Vec<Option<f64>>) {
    let mut in_row = wraps.len();
    loop {
        let widths = column_widths(&natural[..in_row], &wraps[..in_row], page);
        let squeezed = in_row > 1 && widths[in_row - 1].is_some_and(|width| width < UNDER_BELOW);
        if !squeezed {
            return (in_row, widths);
        }
        in_row -= 1;
    }
}

/// How wide the columns set side by side in a row are together, of the line: those that
/// wrap as [`column_widths`] gives them, the others as their cells, and the space between.
fn row_share(natural: &[usize], widths: &[Option<f64>], page: Page) -> f64 {
    let column = |(&chars, width): (&usize, &Option<f64>)| {
        page.gap_chars + width.map_or(chars as f64, |share| share * page.line_chars)
    };
    natural.iter().zip(widths).map(column).sum::<f64>() / page.line_chars
}

/// The page a table's columns are set on (upright, unless they are wider than its line
/// together), how many are set side by side in a row and their widths ([`row_layout`]).
fn page_layout(natural: &[usize], wraps: &[bool]) -> (Page, usize, Vec<Option<f64>>) {
    let (in_row, widths) = row_layout(natural, wraps, PORTRAIT);
    // a little over is absorbed by the rounding of the widths counted here
    if row_share(&natural[..in_row], &widths, PORTRAIT) <= 1.01 {
        return (PORTRAIT, in_row, widths);
    }
    let (in_row, widths) = row_layout(natural, wraps, LANDSCAPE);
    (LANDSCAPE, in_row, widths)
}

/// About how many lines `text` takes in a column `share` of the line wide (`None`: one
/// that never wraps); none when it is empty.
fn lines_of(text: &str, share: Option<f64>, page: Page) -> usize {
    let Some(share) = share else { return usize::from(!text.is_empty()) };
    let lines = text.lines().map(|line| line.chars().count() as f64 / (share * page.line_chars));
    lines.map(|line| line.ceil() as usize).sum()
}

/// How tall `table` is, in lines: its rows, each as tall as its longest wrapped cell (the
/// first `in_row` columns, `widths` wide), and the lines under them (`under_width` wide).
fn height_in_lines(
    table: &Table,
    (in_row, widths): (usize, &[Option<f64>]),
    under_width: f64,
    page: Page,
) -> usize {
    let height_of = |row: &Vec<Value>| {
        let shown = |i: usize| row[i].display(table.columns[i].kind);
        let beside = (0..in_row).map(|i| lines_of(&shown(i), widths[i], page));
        let below =
            (in_row..table.columns.len()).map(|i| lines_of(&shown(i), Some(under_width), page));
        beside.max().unwrap_or(0).max(1) + below.sum::<usize>()
    };
    table.rows.iter().map(height_of).sum()
}

/// Each column's widest cell as shown, in characters.
fn widest_cells(table: &Table) -> Vec<usize> {
    let shown = |i: usize, row: &Vec<Value>| row[i].display(table.columns[i].kind).chars().count();
    (0..table.columns.len())
        .map(|i| table.rows.iter().map(|row| shown(i, row)).max().unwrap_or(0))
        .collect()
}

impl Exporter for Latex {
    fn render(&self, table: &Table) -> String {
        let widest = widest_cells(table);
        let wraps: Vec<bool> = table
            .columns
            .iter()
            .zip(&widest)
            .map(|(c, &widest)| !c.is_numeric() && widest > WRAP_AFTER)
            .collect();
        // each column as wide as its widest cell, a header longer than that broken at its
        // spaces (where a header of one line made a count column three times its numbers)
        let headers: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widest)
            .map(|(c, &widest)| {
                header_lines(&c.name.replace(" = ", "\u{a0}=\u{a0}"), widest.max(HEADER_CHARS))
            })
            .collect();
        let natural = natural_widths(&widest, &headers);
        let (page, in_row, widths) = page_layout(&natural, &wraps);
        let (columns, under) = table.columns.split_at(in_row);
        let spec: String = columns
            .iter()
            .zip(&widths)
            .map(|(c, width)| match (c.is_numeric(), width) {
                (true, _) => "r".to_owned(),
                (false, Some(width)) => format!("p{{{width:.2}\\linewidth}}"),
                (false, None) => "l".to_owned(),
            })
            .collect();
        let header: Vec<String> = columns
            .iter()
            .zip(&headers)
            .zip(&widths)
            .map(|((c, lines), width)| {
                // a wrapping column wraps its header too
                if lines.len() == 1 || width.is_some() {
                    return escape(&c.name);
                }
                let lines: Vec<String> = lines.iter().map(|l| escape(l)).collect();
                let align = if c.is_numeric() { 'r' } else { 'l' };
                format!(
                    "\\begin{{tabular}}[b]{{@{{}}{align}@{{}}}}{}\\end{{tabular}}",
                    lines.join("\\\\")
                )
            })
            .collect();
        // a ragged-right last cell (`cell`) would take `\\` as a line break within it
        let row_end = if wraps.contains(&true) { "\\tabularnewline" } else { "\\\\" };
        // the columns set under each row named under the header, where they go
        let under_header = if under.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = under.iter().map(|c| escape(&c.name)).collect();
            format!(
                "\\multicolumn{{{in_row}}}{{@{{\\hspace{{1.5em}}}}l}}{{\\textit{{{}}}}} {row_end}\n",
                names.join("; ")
            )
        };
        let header =
            format!("\\toprule\n{} {row_end}\n{under_header}\\midrule\n", header.join(" & "));
        let caption = if table.title.is_empty() {
            String::new()
        } else {
            format!("\\caption{{{}}}", escape(&table.title))
        };
        let under_width = under_width(&natural[..in_row], &widths, page);
        let under_spec = format!("@{{\\hspace{{1.5em}}}}p{{{under_width:.2}\\linewidth}}@{{}}");
        // a row's cells of the columns set under it, a line each (several told apart by their
        // columns' names); none for an empty cell
        let lines_under = |row: &[Value]| -> Vec<String> {
            let labelled = under.len() > 1;
            let lines = under.iter().zip(&row[in_row..]).filter_map(|(c, v)| {
                let shown = v.display(c.kind);
                if shown.is_empty() {
                    return None;
                }
                let label = if labelled {
                    format!("\\textit{{{}:}} ", escape(&c.name))
                } else {
                    String::new()
                };
                let cell = cell(&shown, true);
                Some(format!(
                    "\\multicolumn{{{in_row}}}{{{under_spec}}}{{\\footnotesize {label}{cell}}}"
                ))
            });
            lines.collect()
        };
        let long = height_in_lines(table, (in_row, &widths), under_width, page) > page.long_after;
        let turned = page == LANDSCAPE;
        let mut packages = vec!["booktabs"];
        packages.extend(long.then_some("longtable"));
        packages.extend(turned.then_some("pdflscape"));
        let needs: Vec<String> = packages.iter().map(|p| format!("\\usepackage{{{p}}}")).collect();
        let mut out = format!("% needs {}\n", needs.join(" and "));
        // turned, the columns closer together too (`LANDSCAPE`)
        let small = if turned {
            format!("\\small\\setlength{{\\tabcolsep}}{{{LANDSCAPE_TABCOLSEP}}}")
        } else {
            "\\small".to_owned()
        };
        if turned {
            out.push_str("\\begin{landscape}\n");
        }
        if long {
            // a longtable's caption is a row of its own
            let caption = if caption.is_empty() { caption } else { caption + "\\\\\n" };
            // the header again at the top of every page after the first
            out.push_str(&format!(
                "\\begingroup\n{small}\n\\begin{{longtable}}{{{spec}}}\n{caption}{header}\\endfirsthead\n{header}\\endhead\n"
            ));
        } else {
            let caption = if caption.is_empty() { caption } else { caption + "\n" };
            out.push_str(&format!(
                "\\begin{{table}}[htbp]\n\\centering\n{small}\n{caption}\\begin{{tabular}}{{{spec}}}\n{header}"
            ));
        }
        // a row and the lines under it kept on one page (`*`: no page break after)
        let kept = |more: bool| if more { "*" } else { "" };
        for row in &table.rows {
            let cells: Vec<String> = row
                .iter()
                .zip(columns)
                .zip(&wraps)
                .map(|((v, c), &w)| cell(&v.display(c.kind), w))
                .collect();
            let lines = lines_under(row);
            out.push_str(&format!("{} {row_end}{}\n", cells.join(" & "), kept(!lines.is_empty())));
            for (i, line) in lines.iter().enumerate() {
                out.push_str(&format!("{line} {row_end}{}\n", kept(i + 1 < lines.len())));
            }
            if !lines.is_empty() {
                out.push_str("\\addlinespace[3pt]\n");
            }
        }
        out.push_str(if long {
            "\\bottomrule\n\\end{longtable}\n\\endgroup\n"
        } else {
            "\\bottomrule\n\\end{tabular}\n"
        });
        for note in &table.notes {
            out.push_str(&format!(
                "\\par\\smallskip{{\\footnotesize \\textit{{Note.}} {}}}\n",
                escape(note)
            ));
        }
        if !long {
            out.push_str("\\end{table}\n");
        }
        if turned {
            out.push_str("\\end{landscape}\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Column, Value};

    #[test]
    fn headers_break_at_spaces_into_lines_of_the_width_asked() {
        assert_eq!(header_lines("segments with both", 10), ["segments", "with both"]);
        assert_eq!(header_lines("with A", 10), ["with A"]);
        assert_eq!(header_lines("documents", 3), ["documents"]);
        let counted = "participants n (%) (N\u{a0}=\u{a0}24)";
        assert_eq!(header_lines(counted, 10), ["participants", "n (%)", "(N\u{a0}=\u{a0}24)"]);
    }

    /// A table of `rows` rows: a code, a count with a long header, and a quote.
    fn quoted(rows: usize) -> Table {
        let mut table = Table::new(
            "Quotes",
            vec![
                Column::text("code"),
                Column::integer("segments with both"),
                Column::text("quote"),
            ],
        );
        for i in 0..rows {
            table.push(vec![
                "Relationship and trust, with a name long enough to wrap".into(),
                Value::from(i),
                "“A quote that runs on for well over forty characters, as quotes do.”".into(),
            ]);
        }
        table
    }

    #[test]
    fn wrapping_columns_share_the_room_the_others_leave() {
        let table = quoted(2);
        let wraps = [true, false, true];
        let headers: Vec<Vec<String>> = vec![
            vec!["code".into()],
            vec!["segments".into(), "with both".into()],
            vec!["quote".into()],
        ];
        let widths =
            column_widths(&natural_widths(&widest_cells(&table), &headers), &wraps, PORTRAIT);
        assert_eq!(widths[1], None);
        let (code, quote) = (widths[0].expect("wraps"), widths[2].expect("wraps"));
        // the count column takes its 9 characters and each column its gaps
        let room = (PORTRAIT.line_chars - 9.0 - 3.0 * PORTRAIT.gap_chars) / PORTRAIT.line_chars;
        assert!((code + quote - room).abs() < 1e-9, "{code} + {quote} of {room}");
        assert!(quote > code, "the longer cells claim more: {code} {quote}");
        // a table whose other columns fill the line still gives its text some room
        let mut crowded = quoted(1);
        crowded.columns[1].name = "a header far too long to fit in what a line leaves ".repeat(3);
        let headers: Vec<Vec<String>> =
            vec![vec!["code".into()], vec![crowded.columns[1].name.clone()], vec!["quote".into()]];
        let natural = natural_widths(&widest_cells(&crowded), &headers);
        for width in column_widths(&natural, &wraps, PORTRAIT).into_iter().flatten() {
            assert_eq!(width, 0.15);
        }
    }

    /// A table of `rows` one-line rows.
    fn counts(rows: usize) -> Table {
        let mut table = Table::new("Counts", vec![Column::text("code"), Column::integer("n")]);
        for i in 0..rows {
            table.push(vec![format!("code {i}").into(), Value::from(i)]);
        }
        table
    }

    /// A table of `rows` rows of `columns` count columns, each headed "count number N".
    fn wide(columns: usize, rows: usize) -> Table {
        let mut names = vec![Column::text("code")];
        names.extend((0..columns).map(|i| Column::integer(&format!("count number {i}"))));
        let mut table = Table::new("Wide", names);
        for i in 0..rows {
            let mut row: Vec<Value> = vec![format!("code {i}").into()];
            row.extend((0..columns).map(|c| Value::from(1_000_000 + c)));
            table.push(row);
        }
        table
    }

    #[test]
    fn a_table_wider_than_an_upright_page_is_turned() {
        // six or ten columns of up to 10 characters and their gaps: 77 characters upright
        let upright = Latex.render(&wide(5, 3));
        assert!(upright.starts_with("% needs \\usepackage{booktabs}\n\\begin{table}"), "{upright}");
        assert!(!upright.contains("landscape") && !upright.contains("tabcolsep"), "{upright}");
        let turned = Latex.render(&wide(9, 3));
        assert!(
            turned.starts_with(
                "% needs \\usepackage{booktabs} and \\usepackage{pdflscape}\n\\begin{landscape}\n\\begin{table}[htbp]\n\\centering\n\\small\\setlength{\\tabcolsep}{4pt}\n"
            ),
            "{turned}"
        );
        assert!(turned.ends_with("\\end{table}\n\\end{landscape}\n"), "{turned}");
        // a turned page holds fewer rows: a long table sooner, turned too
        assert!(!Latex.render(&wide(9, LANDSCAPE.long_after)).contains("longtable"));
        let long = Latex.render(&wide(9, LANDSCAPE.long_after + 1));
        assert!(long.contains("\\usepackage{longtable} and \\usepackage{pdflscape}"), "{long}");
        assert!(long.contains("\\begin{landscape}\n\\begingroup\n\\small\\setlength"), "{long}");
        assert!(long.ends_with("\\end{longtable}\n\\endgroup\n\\end{landscape}\n"), "{long}");
        // the layout: upright while the row fits the line, turned past it
        let natural = |columns: usize| vec![10; columns];
        let (page, ..) = page_layout(&natural(6), &[false; 6]);
        assert_eq!(page, PORTRAIT, "6 × 12.7 = 76.2 characters of 77 fit");
        let (page, ..) = page_layout(&natural(7), &[false; 7]);
        assert_eq!(page, LANDSCAPE, "7 × 12.7 = 88.9 do not");
    }

    #[test]
    fn tables_taller_than_a_page_are_long_by_their_lines() {
        let float = "% needs \\usepackage{booktabs}\n\\begin{table}[htbp]";
        let short = Latex.render(&counts(LONG_AFTER));
        assert!(short.starts_with(float) && !short.contains("longtable"), "{short}");
        assert!(Latex.render(&counts(LONG_AFTER + 1)).contains("\\begin{longtable}"));
        // rows that wrap are as tall as their longest cell: 3 lines each
        assert_eq!(lines_of(&"x".repeat(80), Some(0.5), PORTRAIT), 3);
        assert_eq!(lines_of("two\nlines", Some(0.5), PORTRAIT), 2);
        assert_eq!(lines_of("", Some(0.5), PORTRAIT) + lines_of("", None, PORTRAIT), 0);
        assert!(Latex.render(&quoted(10)).starts_with(float));
        assert!(Latex.render(&quoted(11)).contains("\\begin{longtable}"));
    }

    #[test]
    fn long_tables_break_across_pages_and_wrapped_cells_are_ragged() {
        let long = Latex.render(&quoted(LONG_AFTER + 1));
        assert!(long.contains("\\begin{longtable}{p{"), "{long}");
        // the header once for the first page and once for the rest
        assert_eq!(long.matches("\\toprule").count(), 2, "{long}");
        assert!(long.contains("\\endfirsthead") && long.contains("\\endhead"), "{long}");
        assert!(
            long.contains("\\begin{tabular}[b]{@{}r@{}}segments\\\\with both\\end{tabular}"),
            "{long}"
        );
        // a ragged-right last cell ends its row with \tabularnewline, which it cannot take
        // for a line break of its own
        let row = long.lines().find(|l| l.contains("as quotes do")).expect("a row");
        assert!(row.starts_with("\\raggedright Relationship"), "{row}");
        assert!(row.ends_with("\\tabularnewline") && !row.contains("\\\\"), "{row}");
    }

    /// A table of codes with five counts, a quote and a second quote (`pre` and `post`).
    fn crowded(quotes: &[&str]) -> Table {
        let mut columns = vec![Column::text("code")];
        columns.extend(
            ["participants", "documents", "segments", "coverage", "per 1,000 words"]
                .map(Column::integer),
        );
        columns.extend(quotes.iter().map(|name| Column::text(name)));
        let mut table = Table::new("Themes", columns);
        for (code, quote) in [
            ("Trust", "“She listened, and she remembered what I said the week before.”"),
            ("Targets", ""),
        ] {
            let mut row: Vec<Value> = vec![code.into()];
            row.extend((1..=5).map(Value::from));
            row.extend(quotes.iter().map(|_| Value::from(quote)));
            table.push(row);
        }
        table
    }

    #[test]
    fn a_text_column_squeezed_at_the_end_is_set_under_each_row() {
        let one = Latex.render(&crowded(&["exemplar quotes"]));
        // six columns side by side; the quotes named under the header, spanning them
        assert!(one.contains("\\begin{tabular}{lrrrrr}"), "{one}");
        assert!(one.contains("\\multicolumn{6}{@{\\hspace{1.5em}}l}{\\textit{exemplar quotes}} \\tabularnewline\n\\midrule"), "{one}");
        // the row kept on the page with the line under it (`*`), which is as wide as the
        // columns above it take of the line (0.90) less 0.1
        let trust = "Trust & 1 & 2 & 3 & 4 & 5 \\tabularnewline*\n\\multicolumn{6}{@{\\hspace{1.5em}}p{0.80\\linewidth}@{}}{\\footnotesize \\raggedright ``She listened, and she remembered what I said the week before.''} \\tabularnewline\n\\addlinespace[3pt]\n";
        assert!(one.contains(trust), "{one}");
        // a row with no quote has no line under it
        assert!(
            one.contains("Targets & 1 & 2 & 3 & 4 & 5 \\tabularnewline\n\\bottomrule"),
            "{one}"
        );
        // two columns under a row are told apart by their names
        let two = Latex.render(&crowded(&["pre quotes", "post quotes"]));
        assert!(two.contains("{\\textit{pre quotes; post quotes}}"), "{two}");
        assert!(two.contains("{\\footnotesize \\textit{pre quotes:} \\raggedright ``She"), "{two}");
        // the first line kept with the second, the second ending the row's group
        assert_eq!(two.matches("\\tabularnewline*\n").count(), 2, "{two}");
        assert!(two.contains("week before.''} \\tabularnewline\n\\addlinespace"), "{two}");
        assert!(
            two.contains("{\\footnotesize \\textit{post quotes:} \\raggedright ``She"),
            "{two}"
        );
        // the lines never wider than the columns above them, nor narrower than 0.3
        let narrow = [4, 3];
        let headers = [vec!["code".to_owned()], vec!["n".to_owned()]];
        let columns = (4.0 + 3.0 + 2.0 * PORTRAIT.gap_chars) / PORTRAIT.line_chars;
        let narrow = natural_widths(&narrow, &headers);
        assert_eq!(under_width(&narrow, &[None, None], PORTRAIT), (columns - 0.1).max(0.3));
        assert_eq!(under_width(&narrow, &[Some(0.5), None], PORTRAIT), 0.85);
        // a text column with room beside the others stays in the row
        let roomy = Latex.render(&quoted(2));
        assert!(roomy.contains("\\begin{tabular}{p{") && !roomy.contains("multicolumn"), "{roomy}");
    }
}
