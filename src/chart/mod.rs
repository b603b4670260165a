//! Charts for papers, drawn with plotters: SVG (text kept as text) and PNG (text drawn with
//! the embedded DejaVu Sans by `glyphs`, so no system font libraries are needed; licence in
//! `assets/fonts/LICENSE-DejaVu.txt`).
//!
//! Each chart is built from the analysis [`Table`] it illustrates, so a chart always shows
//! the numbers of its table: [`themes_by_group`] (horizontal grouped bars of % participants),
//! [`crosstab_heatmap`] and [`cooccurrence_heatmap`] (values in every cell), [`pre_post`]
//! (a dumbbell per code, adjusted-significant changes marked), [`likert_bars`] (diverging
//! stacked bars), [`saturation_curve`] and [`agreement_intervals`] (α per code with its
//! bootstrap interval). Colours are the Okabe–Ito palette, safe for
//! colour-blind readers. Layout is computed by hand (no clock, no randomness), so the same
//! table always gives the same bytes.

mod draw;
mod glyphs;

use std::collections::{HashMap, HashSet};

use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::table::{ColumnKind, Table, Value};

/// Okabe & Ito (2008) colour-blind-safe palette, without black.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xF0, 0xE4, 0x42),
];

/// A chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Horizontal bars per category, one per group.
    GroupedBars {
        /// Title.
        title: String,
        /// Category labels (codes), top to bottom.
        categories: Vec<String>,
        /// Group label (with its n) and one percentage per category (`None`: no data).
        groups: Vec<(String, Vec<Option<f64>>)>,
        /// Axis label.
        axis: String,
    },
    /// A grid of values with the value written in each cell.
    Heatmap {
        /// Title.
        title: String,
        /// Row labels.
        rows: Vec<String>,
        /// Column labels.
        columns: Vec<String>,
        /// Values in [0, max]; `None` for empty cells.
        values: Vec<Vec<Option<f64>>>,
        /// The value of the darkest colour.
        max: f64,
        /// How each value is written (`{:.0}%` or `{:.2}`).
        percent: bool,
    },
    /// Two points per row joined by a line: before and after.
    Dumbbell {
        /// Title.
        title: String,
        /// Row labels.
        rows: Vec<String>,
        /// (before %, after %, significant after adjustment).
        values: Vec<(f64, f64, bool)>,
        /// Labels of the two conditions (with n).
        conditions: (String, String),
    },
    /// Diverging stacked bars: shares per level, centred on the neutral level.
    Diverging {
        /// Title.
        title: String,
        /// Row labels (item, wave).
        rows: Vec<String>,
        /// Level labels, lowest first.
        levels: Vec<String>,
        /// Counts per row and level.
        counts: Vec<Vec<usize>>,
    },
    /// A point per row with its interval, on a coefficient scale from `min` to 1.
    Intervals {
        /// Title.
        title: String,
        /// Row labels.
        rows: Vec<String>,
        /// (estimate, interval) per row.
        values: Vec<(f64, Option<(f64, f64)>)>,
        /// Axis label.
        axis: String,
        /// Left end of the axis: 0, or a multiple of 0.25 down to −1.
        min: f64,
    },
    /// A line through points.
    Line {
        /// Title.
        title: String,
        /// (x, y) points.
        points: Vec<(f64, f64)>,
        /// Axis labels.
        axes: (String, String),
    },
}

/// A drawn chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// SVG document.
    pub svg: String,
    /// PNG image.
    pub png: Vec<u8>,
}

/// Draw `chart` as SVG and PNG.
///
/// # Errors
/// Drawing or PNG encoding fails (not expected for valid charts).
pub fn render(chart: &Chart) -> Result<Rendered> {
    draw::register_fonts();
    let (width, height) = draw::size(chart);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw::chart(&area, chart).map_err(|e| chart_error(&e.to_string()))?;
        area.present().map_err(|e| chart_error(&e.to_string()))?;
    }
    let mut pixels = vec![0u8; (width * height * 3) as usize];
    {
        // text drawn by `glyphs`, where plotters' own drawing misplaces glyphs
        let backend = BitMapBackend::with_buffer(&mut pixels, (width, height));
        let area = glyphs::PlacedText(backend).into_drawing_area();
        draw::chart(&area, chart).map_err(|e| chart_error(&e.to_string()))?;
        area.present().map_err(|e| chart_error(&e.to_string()))?;
    }
    let mut png = Vec::new();
    {
        use image::ImageEncoder;
        let encoder = image::codecs::png::PngEncoder::new(&mut png);
        encoder
            .write_image(&pixels, width, height, image::ColorType::Rgb8)
            .map_err(|e| chart_error(&e.to_string()))?;
    }
    Ok(Rendered { svg, png })
}

fn chart_error(message: &str) -> Error {
    Error::Usage(format!("drawing a chart failed: {message}"))
}

fn text(value: &Value) -> String {
    match value {
        Value::Text(t) => t.clone(),
        other => other.display(ColumnKind::Text),
    }
}

/// Grouped bars from a `themes --by` table: its per-group `n (%)` columns.
pub fn themes_by_group(table: &Table) -> Option<Chart> {
    let groups: Vec<usize> =
        (2..table.columns.len()).filter(|&i| table.columns[i].kind == ColumnKind::Count).collect();
    if groups.is_empty() {
        return None;
    }
    Some(Chart::GroupedBars {
        title: table.title.clone(),
        categories: table.rows.iter().map(|r| text(&r[0])).collect(),
        groups: groups
            .iter()
            .map(|&i| {
                (table.columns[i].name.clone(), table.rows.iter().map(|r| r[i].percent()).collect())
            })
            .collect(),
        axis: "% of participants in the group mentioning the code".into(),
    })
}

/// A heatmap from a `crosstab` table: the groups' `n (%)` columns.
pub fn crosstab_heatmap(table: &Table) -> Option<Chart> {
    let groups: Vec<usize> =
        (1..table.columns.len()).filter(|&i| table.columns[i].kind == ColumnKind::Count).collect();
    (!groups.is_empty()).then(|| Chart::Heatmap {
        title: table.title.clone(),
        rows: table.rows.iter().map(|r| text(&r[0])).collect(),
        columns: groups.iter().map(|&i| table.columns[i].name.clone()).collect(),
        values: table
            .rows
            .iter()
            .map(|r| groups.iter().map(|&i| r[i].percent()).collect())
            .collect(),
        max: 100.0,
        percent: true,
    })
}

/// A dumbbell chart from a `compare` table: before and after %, adjusted p < 0.05 marked.
pub fn pre_post(table: &Table) -> Option<Chart> {
    let counts: Vec<usize> =
        (1..table.columns.len()).filter(|&i| table.columns[i].kind == ColumnKind::Count).collect();
    let adjusted = table.columns.iter().position(|c| c.name == "adjusted p")?;
    let (before, after) = (*counts.first()?, *counts.get(1)?);
    let label = |i: usize| {
        let n = table.rows.iter().find_map(|r| match r[i] {
            Value::Count { of, .. } => Some(of),
            _ => None,
        });
        let name = table.columns[i].name.trim_end_matches(" n (%)").to_owned();
        n.map_or(name.clone(), |n| format!("{name} (n = {})", crate::table::Grouped(n)))
    };
    let mut rows = Vec::new();
    let mut values = Vec::new();
    for row in &table.rows {
        if let (Some(a), Some(b)) = (row[before].percent(), row[after].percent()) {
            let significant = matches!(row[adjusted], Value::PValue(p) if p < 0.05);
            rows.push(text(&row[0]));
            values.push((a, b, significant));
        }
    }
    Some(Chart::Dumbbell {
        title: table.title.clone(),
        rows,
        values,
        conditions: (label(before), label(after)),
    })
}

/// Diverging stacked bars from a `likert` table: the per-level count columns.
pub fn likert_bars(table: &Table) -> Option<Chart> {
    let levels: Vec<usize> = (3..table.columns.len())
        .filter(|&i| table.columns[i].kind == ColumnKind::Integer)
        .collect();
    if levels.len() < 2 || table.rows.is_empty() {
        return None;
    }
    Some(Chart::Diverging {
        title: table.title.clone(),
        // each bar's respondents beside its label: the bars are shares, and waves differ
        rows: table
            .rows
            .iter()
            .map(|r| match (table.columns[2].name.as_str(), &r[2]) {
                ("n", Value::Integer(n)) => format!("{} ({}, n = {n})", text(&r[0]), text(&r[1])),
                _ => format!("{} ({})", text(&r[0]), text(&r[1])),
            })
            .collect(),
        levels: levels
            .iter()
            .map(|&i| {
                table.columns[i]
                    .name
                    .split_once(' ')
                    .map_or(table.columns[i].name.clone(), |(_, l)| l.to_owned())
            })
            .collect(),
        counts: table
            .rows
            .iter()
            .map(|r| {
                levels
                    .iter()
                    .map(|&i| if let Value::Integer(n) = r[i] { n.max(0) as usize } else { 0 })
                    .collect()
            })
            .collect(),
    })
}

/// The saturation curve from a `saturation` table: codes seen so far per document, in
/// order. A large study's table lists only the documents that add codes (and the last): the
/// curve stays level up to each one.
pub fn saturation_curve(table: &Table) -> Option<Chart> {
    let so_far = table.columns.iter().position(|c| c.name == "codes so far")?;
    let order = table.columns.iter().position(|c| c.name == "order");
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(table.rows.len());
    for (i, row) in table.rows.iter().enumerate() {
        let Value::Integer(seen) = row[so_far] else { continue };
        let x = match order.map(|column| &row[column]) {
            Some(&Value::Integer(order)) => order as f64,
            _ => (i + 1) as f64,
        };
        if let Some(&(last_x, last_seen)) = points.last()
            && x > last_x + 1.0
        {
            points.push((x - 1.0, last_seen));
        }
        points.push((x, seen as f64));
    }
    (!points.is_empty()).then(|| Chart::Line {
        title: table.title.clone(),
        points,
        axes: ("documents, in order".into(), "codes seen so far".into()),
    })
}

/// A Jaccard heatmap from a `cooccur` table, over the codes named in `order` (top-level
/// codes, say) that co-occur at all.
pub fn cooccurrence_heatmap(table: &Table, order: &[String]) -> Option<Chart> {
    let jaccard = table.columns.iter().position(|c| c.name == "Jaccard")?;
    // looked up once per cell: a table of n codes has n² cells and about n²/2 rows
    let mut pairs: HashMap<(String, String), f64> = HashMap::new();
    let mut named: HashSet<String> = HashSet::new();
    for row in &table.rows {
        let (x, y) = (text(&row[0]), text(&row[1]));
        if let Value::Number(v) = row[jaccard] {
            // the first row of a pair counts
            pairs.entry(ordered(&x, &y)).or_insert(v);
        }
        named.extend([x, y]);
    }
    let names: Vec<String> = order.iter().filter(|name| named.contains(*name)).cloned().collect();
    if names.len() < 2 {
        return None;
    }
    let value = |a: &str, b: &str| pairs.get(&ordered(a, b)).copied();
    let values: Vec<Vec<Option<f64>>> = names
        .iter()
        .map(|a| {
            names.iter().map(|b| if a == b { None } else { value(a, b).or(Some(0.0)) }).collect()
        })
        .collect();
    // Jaccard within segments is small: colour up to the largest value, not up to 1
    let max = values.iter().flatten().flatten().copied().fold(0.01, f64::max);
    Some(Chart::Heatmap {
        // the title says whose pairs these are, in the width a title has before it is cut
        title: format!("{} (top-level; Jaccard; darkest = {max:.2})", table.title),
        rows: names.clone(),
        columns: names,
        values,
        max,
        percent: false,
    })
}

/// A pair of names in one order, whichever order they come in.
fn ordered(a: &str, b: &str) -> (String, String) {
    (a.min(b).to_owned(), a.max(b).to_owned())
}

/// Krippendorff's α per code with its 95% interval, from an agreement table.
pub fn agreement_intervals(table: &Table) -> Option<Chart> {
    let column = |name: &str| table.columns.iter().position(|c| c.name == name);
    let (alpha, low, high) =
        (column("Krippendorff's α")?, column("α 95% CI low")?, column("α 95% CI high")?);
    let mut rows = Vec::new();
    let mut values = Vec::new();
    for row in &table.rows {
        let Value::Number(a) = row[alpha] else { continue };
        let interval = match (&row[low], &row[high]) {
            (Value::Number(l), Value::Number(h)) => Some((*l, *h)),
            _ => None,
        };
        rows.push(text(&row[0]));
        values.push((a, interval));
    }
    if rows.is_empty() {
        return None;
    }
    let lowest = values.iter().map(|(a, i)| i.map_or(*a, |i| i.0)).fold(0.0, f64::min);
    Some(Chart::Intervals {
        title: table.title.clone(),
        rows,
        values,
        axis: "Krippendorff's α (nominal) with 95% bootstrap interval".into(),
        min: ((lowest * 4.0).floor() / 4.0).max(-1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Column;

    /// A saturation table that lists only the first document, those adding codes and the
    /// last (as `analysis::saturation` does past 200 documents) gives the curve of one
    /// listing every document: level up to each listed one.
    #[test]
    fn the_saturation_curve_of_the_documents_adding_codes_is_the_curve_of_all() {
        let table = |every: bool| {
            let mut table = Table::new(
                "Thematic saturation",
                vec![Column::locator("order"), Column::integer("codes so far")],
            );
            let so_far = [0, 0, 2, 3, 5, 5, 5, 5, 6, 6];
            for (i, &seen) in so_far.iter().enumerate() {
                let adds = i > 0 && so_far[i - 1] != seen;
                if every || i == 0 || adds || i + 1 == so_far.len() {
                    table.push(vec![(i + 1).into(), seen.into()]);
                }
            }
            table
        };
        let points = |table: &Table| match saturation_curve(table) {
            Some(Chart::Line { points, .. }) => points,
            other => panic!("{other:?}"),
        };
        // the line through `points` at `x`, a half document at a time
        let at = |points: &[(f64, f64)], x: f64| {
            let after = points.iter().position(|p| p.0 >= x).expect("within the curve");
            let (x1, y1) = points[after];
            if x1 == x || after == 0 {
                return y1;
            }
            let (x0, y0) = points[after - 1];
            y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        };
        let all = points(&table(true));
        assert_eq!(all.len(), 10);
        let listed = table(false);
        assert_eq!(listed.rows.len(), 6, "the first, documents 3, 4, 5, 9 and the last");
        let curve = points(&listed);
        for half in 2..=20 {
            let x = f64::from(half) / 2.0;
            assert_eq!(at(&curve, x), at(&all, x), "at {x}: {curve:?}");
        }
    }

    fn bars() -> Chart {
        Chart::GroupedBars {
            title: "Themes by gender".into(),
            categories: vec!["Targets".into(), "  Setting targets".into()],
            groups: vec![
                ("female (n = 3)".into(), vec![Some(66.7), None]),
                ("male (n = 2)".into(), vec![Some(100.0), Some(50.0)]),
            ],
            axis: "% of participants".into(),
        }
    }

    /// The legend's swatch colours of a drawn chart, in order.
    fn legend_colours(svg: &str) -> Vec<&str> {
        svg.split("<rect ")
            .filter(|rect| rect.contains(r#"width="12" height="12""#))
            .filter_map(|rect| rect.split("fill=\"").nth(1)?.split('"').next())
            .collect()
    }

    /// The co-occurrence heatmap draws the codes in `order` (the top-level ones, its title
    /// says) that co-occur with another: a code that co-occurs with none is left out.
    #[test]
    fn cooccurrence_heatmap_draws_codes_that_co_occur_and_says_so() {
        use crate::table::{Column, ColumnKind, Table, Value};
        let mut table = Table::new(
            "Code co-occurrence within segments",
            vec![
                Column::text("code A"),
                Column::text("code B"),
                Column { name: "Jaccard".into(), kind: ColumnKind::Number { decimals: 3 } },
            ],
        );
        table.rows.push(vec![
            Value::Text("Targets".into()),
            Value::Text("Trust".into()),
            Value::Number(0.25),
        ]);
        let order: Vec<String> = ["Targets", "Trust", "Logistics"].map(String::from).to_vec();
        let Some(Chart::Heatmap { title, rows, values, .. }) = cooccurrence_heatmap(&table, &order)
        else {
            panic!("a heatmap");
        };
        assert_eq!(rows, ["Targets", "Trust"], "Logistics co-occurs with nothing");
        assert_eq!(values, [[None, Some(0.25)], [Some(0.25), None]]);
        assert_eq!(
            title,
            "Code co-occurrence within segments (top-level; Jaccard; darkest = 0.25)"
        );
    }

    /// A report shows waves in several charts: `pre` and `post` keep their colours from the
    /// grouped bars (themes by wave) to the dumbbells (compare).
    #[test]
    fn conditions_have_the_same_colours_in_bars_and_dumbbells() {
        let bars = Chart::GroupedBars {
            title: "Themes by wave".into(),
            categories: vec!["Targets".into()],
            groups: vec![
                ("pre (n = 2)".into(), vec![Some(50.0)]),
                ("post (n = 2)".into(), vec![Some(100.0)]),
            ],
            axis: "% of participants".into(),
        };
        let dumbbell = Chart::Dumbbell {
            title: "pre vs post".into(),
            rows: vec!["Targets".into()],
            values: vec![(50.0, 100.0, false)],
            conditions: ("pre (n = 2)".into(), "post (n = 2)".into()),
        };
        let bars = legend_colours(&render(&bars).expect("draws").svg).join(" ");
        let dumbbell = legend_colours(&render(&dumbbell).expect("draws").svg).join(" ");
        assert_eq!(dumbbell, bars);
        assert_eq!(bars, "#E69F00 #56B4E9");
    }

    /// The `<text>` element of a drawn chart that shows `label`, with its attributes.
    fn text_element<'s>(svg: &'s str, label: &str) -> &'s str {
        svg.split("<text")
            .find(|element| {
                element.split('>').nth(1).is_some_and(|t| t.trim_start().starts_with(label))
            })
            .unwrap_or_else(|| panic!("no text {label:?}"))
    }

    /// The compare chart's labels are bold for parent codes, as in the other charts, whether
    /// or not their change is significant, which a `*` marks.
    #[test]
    fn dumbbell_labels_are_bold_for_parents_and_starred_when_significant() {
        let dumbbell = Chart::Dumbbell {
            title: "pre vs post".into(),
            rows: vec!["Targets".into(), "  Setting targets".into()],
            values: vec![(50.0, 60.0, false), (10.0, 90.0, true)],
            conditions: ("pre (n = 2)".into(), "post (n = 2)".into()),
        };
        let svg = render(&dumbbell).expect("draws").svg;
        let parent = text_element(&svg, "Targets");
        let child = text_element(&svg, "Setting targets *");
        assert!(parent.contains("bold"), "{parent}");
        assert!(!child.contains("bold"), "{child}");
        assert!(svg.contains("* = change significant after adjustment"));
    }

    /// The fill colours of the drawn shapes named `element` (`circle`, `polygon`), in order.
    fn fills<'s>(svg: &'s str, element: &str) -> Vec<&'s str> {
        svg.split(&format!("<{element} "))
            .skip(1)
            .filter_map(|shape| shape.split("fill=\"").nth(1)?.split('"').next())
            .collect()
    }

    /// No change between the waves must still show both waves: the dots become halves,
    /// the first wave's on the left, instead of the second hiding the first.
    #[test]
    fn dumbbell_dots_that_meet_show_both_waves() {
        let chart = |values| Chart::Dumbbell {
            title: "pre vs post".into(),
            rows: vec!["Targets".into()],
            values: vec![values],
            conditions: ("pre (n = 2)".into(), "post (n = 2)".into()),
        };
        let apart = render(&chart((10.0, 90.0, false))).expect("draws").svg;
        assert_eq!(fills(&apart, "circle"), ["#E69F00", "#56B4E9"]);
        assert!(fills(&apart, "polygon").is_empty());
        let same = render(&chart((50.0, 50.0, false))).expect("draws").svg;
        assert!(fills(&same, "circle").is_empty(), "{same}");
        assert_eq!(fills(&same, "polygon"), ["#E69F00", "#56B4E9"]);
        // a small fall: the second wave's half is on the left, where its value is
        let fall = render(&chart((50.0, 49.0, false))).expect("draws").svg;
        assert_eq!(fills(&fall, "polygon"), ["#56B4E9", "#E69F00"]);
    }

    #[test]
    fn svg_keeps_text_as_text_and_png_shows_it() {
        let rendered = render(&bars()).expect("draws");
        assert!(rendered.svg.contains("Themes by gender"), "{}", &rendered.svg[..400]);
        assert!(rendered.svg.contains("female (n = 3)") && rendered.svg.contains("<text"));
        assert!(rendered.png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let image = image::load_from_memory(&rendered.png).expect("decodes").to_rgb8();
        assert_eq!(image.width(), 960);
        // dark pixels in the title's band: the embedded font drew the text
        let dark = (0..400)
            .flat_map(|x| (10..34).map(move |y| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y).0[0] < 100)
            .count();
        assert!(dark > 200, "title text missing from the PNG ({dark} dark pixels)");
    }

    #[test]
    fn rendering_is_deterministic() {
        assert_eq!(render(&bars()).expect("draws"), render(&bars()).expect("draws"));
    }

    #[test]
    fn every_chart_kind_draws() {
        let charts = [
            bars(),
            Chart::Heatmap {
                title: "h".into(),
                rows: vec!["a".into()],
                columns: vec!["x".into(), "y".into()],
                values: vec![vec![Some(10.0), None]],
                max: 100.0,
                percent: true,
            },
            Chart::Dumbbell {
                title: "d".into(),
                rows: vec!["a".into()],
                values: vec![(10.0, 60.0, true)],
                conditions: ("pre".into(), "post".into()),
            },
            Chart::Diverging {
                title: "l".into(),
                rows: vec!["q1 (pre)".into()],
                levels: vec!["No".into(), "Maybe".into(), "Yes".into()],
                counts: vec![vec![1, 2, 3]],
            },
            Chart::Line {
                title: "s".into(),
                points: vec![(1.0, 3.0), (2.0, 4.0)],
                axes: ("x".into(), "y".into()),
            },
        ];
        for chart in charts {
            let rendered = render(&chart).expect("draws");
            assert!(rendered.svg.starts_with("<svg"));
            assert!(!rendered.png.is_empty());
        }
    }

    #[test]
    fn likert_bars_are_labelled_with_their_respondents() {
        let mut table = Table::new(
            "Likert items by wave",
            vec![
                Column::text("item"),
                Column::text("wave"),
                Column::integer("n"),
                Column::integer("1 No"),
                Column::integer("2 Yes"),
            ],
        );
        table.push(vec!["q1".into(), "pre".into(), 10usize.into(), 4usize.into(), 6usize.into()]);
        table.push(vec!["q1".into(), "post".into(), 9usize.into(), 1usize.into(), 8usize.into()]);
        let Some(Chart::Diverging { rows, levels, counts, .. }) = likert_bars(&table) else {
            panic!("a diverging chart")
        };
        assert_eq!(rows, ["q1 (pre, n = 10)", "q1 (post, n = 9)"]);
        assert_eq!(levels, ["No", "Yes"]);
        assert_eq!(counts, [[4, 6], [1, 8]]);
    }

    #[test]
    fn a_saturation_curves_gridlines_fall_on_round_numbers() {
        // 35 codes over 56 documents: the vertical axis 0 to 40 by 10, documents by 10
        let points: Vec<(f64, f64)> = (1..=56).map(|d| (d as f64, (d as f64).min(35.0))).collect();
        let chart = Chart::Line { title: "s".into(), points, axes: ("x".into(), "y".into()) };
        let svg = render(&chart).expect("draws").svg;
        let labels: Vec<&str> = svg
            .split("</text>")
            .filter_map(|piece| piece.rsplit('>').next().map(str::trim))
            .filter(|text| text.parse::<u32>().is_ok())
            .collect();
        assert_eq!(labels, ["0", "10", "20", "30", "40", "10", "20", "30", "40", "50"]);
    }
}
