//! Drawing the charts by hand on any plotters backend (SVG and bitmap alike).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Chart, PALETTE};

type Area<DB> = DrawingArea<DB, Shift>;
type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

const WIDTH: u32 = 960;
const LEFT: i32 = 340;
const RIGHT: i32 = 40;
const TOP: i32 = 84;
const GREY: RGBColor = RGBColor(0x80, 0x80, 0x80);
const LIGHT: RGBColor = RGBColor(0xE5, 0xE5, 0xE5);
const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);

/// Register the embedded DejaVu Sans once per process (plotters keeps a global table).
pub fn register_fonts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for (style, bytes) in
            [(FontStyle::Normal, dejavu::sans::regular()), (FontStyle::Bold, dejavu::sans::bold())]
        {
            // InvalidFont has no Debug: the embedded font is known to be valid
            if plotters::style::register_font("sans-serif", style, bytes).is_err() {
                panic!("the embedded DejaVu Sans font is invalid");
            }
        }
    });
}

/// Pixel size of a chart.
pub fn size(chart: &Chart) -> (u32, u32) {
    let rows = |n: usize, each: i32, extra: i32| (TOP + n as i32 * each + extra).max(240) as u32;
    match chart {
        Chart::GroupedBars { categories, groups, .. } => {
            (WIDTH, rows(categories.len(), band(groups.len()), 70))
        }
        Chart::Heatmap { rows: r, .. } => (WIDTH, rows(r.len(), 24, 60)),
        Chart::Dumbbell { rows: r, .. } => (WIDTH, rows(r.len(), 20, 70)),
        Chart::Diverging { rows: r, .. } => (WIDTH, rows(r.len(), 22, 80)),
        Chart::Intervals { rows: r, .. } => (WIDTH, rows(r.len(), 20, 70)),
        Chart::Line { .. } => (WIDTH, 480),
    }
}

fn band(groups: usize) -> i32 {
    groups as i32 * 9 + 10
}

/// Draw a chart on `area`.
pub fn chart<DB: DrawingBackend>(area: &Area<DB>, chart: &Chart) -> Drawn<DB> {
    area.fill(&WHITE)?;
    match chart {
        Chart::GroupedBars { title, categories, groups, axis } => {
            bars(area, title, categories, groups, axis)
        }
        Chart::Heatmap { title, rows, columns, values, max, percent } => {
            heatmap(area, title, rows, columns, values, *max, *percent)
        }
        Chart::Dumbbell { title, rows, values, conditions } => {
            dumbbell(area, title, rows, values, conditions)
        }
        Chart::Diverging { title, rows, levels, counts } => {
            diverging(area, title, rows, levels, counts)
        }
        Chart::Intervals { title, rows, values, axis, min } => {
            intervals(area, title, rows, values, axis, *min)
        }
        Chart::Line { title, points, axes } => line(area, title, points, axes),
    }
}

fn write<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    at: (i32, i32),
    size: u32,
    pos: (HPos, VPos),
    bold: bool,
) -> Drawn<DB> {
    let font = if bold {
        ("sans-serif", size, FontStyle::Bold).into_font()
    } else {
        ("sans-serif", size).into_font()
    };
    let style = TextStyle::from(font).color(&INK).pos(Pos::new(pos.0, pos.1));
    area.draw(&Text::new(text.to_owned(), at, style))
}

fn rect<DB: DrawingBackend>(
    area: &Area<DB>,
    from: (i32, i32),
    to: (i32, i32),
    color: RGBColor,
) -> Drawn<DB> {
    area.draw(&Rectangle::new([from, to], color.filled()))
}

/// A label shortened to fit `max` characters, keeping indentation.
fn fit(label: &str, max: usize) -> String {
    let indent = label.len() - label.trim_start().len();
    let body = label.trim_start();
    let shown: String = if body.chars().count() > max - indent {
        body.chars().take(max - indent - 1).collect::<String>() + "…"
    } else {
        body.to_owned()
    };
    format!("{}{shown}", "   ".repeat(indent / 2))
}

fn title<DB: DrawingBackend>(area: &Area<DB>, text: &str) -> Drawn<DB> {
    write(area, &fit(text, 80), (20, 22), 19, (HPos::Left, VPos::Center), true)
}

/// Coloured squares with labels, left to right from `x`.
fn legend<DB: DrawingBackend>(
    area: &Area<DB>,
    entries: &[(String, RGBColor)],
    x: i32,
    y: i32,
) -> Drawn<DB> {
    let mut at = x;
    for (label, color) in entries {
        rect(area, (at, y - 6), (at + 12, y + 6), *color)?;
        write(area, label, (at + 17, y), 12, (HPos::Left, VPos::Center), false)?;
        at += 30 + (label.chars().count() as i32 * 7);
    }
    Ok(())
}

/// A 0–100% axis along the bottom of the plot with vertical gridlines.
fn percent_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    top: i32,
    bottom: i32,
    label: &str,
) -> Drawn<DB> {
    let plot = WIDTH as i32 - LEFT - RIGHT;
    for tick in [0, 25, 50, 75, 100] {
        let x = LEFT + plot * tick / 100;
        area.draw(&PathElement::new(vec![(x, top), (x, bottom)], LIGHT.stroke_width(1)))?;
        write(
            area,
            &format!("{tick}%"),
            (x, bottom + 12),
            11,
            (HPos::Center, VPos::Center),
            false,
        )?;
    }
    write(area, label, (LEFT + plot / 2, bottom + 32), 12, (HPos::Center, VPos::Center), false)
}

fn bars<DB: DrawingBackend>(
    area: &Area<DB>,
    heading: &str,
    categories: &[String],
    groups: &[(String, Vec<Option<f64>>)],
    axis: &str,
) -> Drawn<DB> {
    title(area, heading)?;
    let colors: Vec<(String, RGBColor)> =
        groups.iter().enumerate().map(|(i, g)| (g.0.clone(), PALETTE[i % PALETTE.len()])).collect();
    legend(area, &colors, 20, 52)?;
    let plot = WIDTH as i32 - LEFT - RIGHT;
    let height = band(groups.len());
    let bottom = TOP + categories.len() as i32 * height;
    percent_axis(area, TOP - 4, bottom, axis)?;
    for (row, category) in categories.iter().enumerate() {
        let y = TOP + row as i32 * height;
        write(
            area,
            &fit(category, 46),
            (LEFT - 8, y + height / 2 - 2),
            12,
            (HPos::Right, VPos::Center),
            !category.starts_with(' '),
        )?;
        for (g, (_, values)) in groups.iter().enumerate() {
            let Some(value) = values[row] else { continue };
            let top = y + g as i32 * 9;
            let x = LEFT + (plot as f64 * value / 100.0).round() as i32;
            rect(area, (LEFT, top), (x.max(LEFT + 1), top + 8), colors[g].1)?;
        }
    }
    Ok(())
}

/// White → Okabe–Ito blue, by share of `max`.
fn shade(value: f64, max: f64) -> RGBColor {
    let t = if max > 0.0 { (value / max).clamp(0.0, 1.0) } else { 0.0 };
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(mix(0xFF, 0x00), mix(0xFF, 0x72), mix(0xFF, 0xB2))
}

fn heatmap<DB: DrawingBackend>(
    area: &Area<DB>,
    heading: &str,
    rows: &[String],
    columns: &[String],
    values: &[Vec<Option<f64>>],
    max: f64,
    percent: bool,
) -> Drawn<DB> {
    title(area, heading)?;
    let numbered = columns.len() > 6; // long lists of codes: number the columns
    let width = ((WIDTH as i32 - LEFT - RIGHT) / columns.len().max(1) as i32).min(150);
    for (c, column) in columns.iter().enumerate() {
        let label =
            if numbered { (c + 1).to_string() } else { fit(column, (width / 7).max(4) as usize) };
        write(
            area,
            &label,
            (LEFT + c as i32 * width + width / 2, TOP - 14),
            12,
            (HPos::Center, VPos::Center),
            true,
        )?;
    }
    for (r, row) in rows.iter().enumerate() {
        let y = TOP + r as i32 * 24;
        let label = if numbered { format!("{}. {}", r + 1, row.trim_start()) } else { row.clone() };
        write(
            area,
            &fit(&label, 46),
            (LEFT - 8, y + 12),
            12,
            (HPos::Right, VPos::Center),
            !row.starts_with(' '),
        )?;
        for (c, value) in values[r].iter().enumerate() {
            let x = LEFT + c as i32 * width;
            let Some(value) = value else {
                rect(area, (x + 1, y + 1), (x + width - 1, y + 23), LIGHT)?;
                continue;
            };
            rect(area, (x + 1, y + 1), (x + width - 1, y + 23), shade(*value, max))?;
            let text = cell_label(*value, percent);
            let dark = *value / max > 0.55;
            let font = ("sans-serif", 11).into_font();
            let color = if dark { WHITE } else { INK };
            let style =
                TextStyle::from(font).color(&color).pos(Pos::new(HPos::Center, VPos::Center));
            area.draw(&Text::new(text, (x + width / 2, y + 12), style))?;
        }
    }
    Ok(())
}

/// A heatmap cell's number as shown: a percentage to the unit, else two decimals. A value
/// that is not nil but would show as nil shows as under the smallest shown ("<1%",
/// "<0.01"), and nil as "0": a pair coded together once in a large study is not one never
/// coded together.
fn cell_label(value: f64, percent: bool) -> String {
    let (smallest, decimals, unit) = if percent { (1.0, 0, "%") } else { (0.01, 2, "") };
    if value == 0.0 {
        format!("0{unit}")
    } else if value > 0.0 && value < smallest / 2.0 {
        format!("<{smallest}{unit}")
    } else {
        format!("{value:.decimals$}{unit}")
    }
}

fn dumbbell<DB: DrawingBackend>(
    area: &Area<DB>,
    heading: &str,
    rows: &[String],
    values: &[(f64, f64, bool)],
    conditions: &(String, String),
) -> Drawn<DB> {
    title(area, heading)?;
    // the first two series colours of the grouped bars: `pre` and `post` look the same in
    // every chart of a report
    let (before, after) = (PALETTE[0], PALETTE[1]);
    let entries = [(conditions.0.clone(), before), (conditions.1.clone(), after)];
    legend(area, &entries, 20, 52)?;
    // bold labels are parent codes, as in the other charts; child codes are indented below
    // them in the table, which labels aligned right cannot show
    write(
        area,
        "* = change significant after adjustment (p < .05); bold = parent code",
        (WIDTH as i32 - RIGHT, 52),
        11,
        (HPos::Right, VPos::Center),
        false,
    )?;
    let plot = (WIDTH as i32 - LEFT - RIGHT) as f64;
    let bottom = TOP + rows.len() as i32 * 20;
    percent_axis(area, TOP - 4, bottom, "% of paired participants mentioning the code")?;
    for (r, (label, (a, b, significant))) in rows.iter().zip(values).enumerate() {
        let y = TOP + r as i32 * 20 + 10;
        let text = if *significant { format!("{} *", label.trim_end()) } else { label.clone() };
        let parent = !label.starts_with(' ');
        write(area, &fit(&text, 46), (LEFT - 8, y), 12, (HPos::Right, VPos::Center), parent)?;
        let (xa, xb) =
            (LEFT + (plot * a / 100.0).round() as i32, LEFT + (plot * b / 100.0).round() as i32);
        area.draw(&PathElement::new(vec![(xa, y), (xb, y)], GREY.stroke_width(2)))?;
        if (xb - xa).abs() < 2 * DOT {
            // whole dots this close would hide one behind the other (no change at all hid
            // the first wave's dot): each shows its outer half, `pre` the left when equal
            let (left, right) =
                if xb < xa { ((xb, after), (xa, before)) } else { ((xa, before), (xb, after)) };
            area.draw(&Polygon::new(half_dot(left.0, y, -1), left.1.filled()))?;
            area.draw(&Polygon::new(half_dot(right.0, y, 1), right.1.filled()))?;
        } else {
            area.draw(&Circle::new((xa, y), DOT, before.filled()))?;
            area.draw(&Circle::new((xb, y), DOT, after.filled()))?;
        }
    }
    Ok(())
}

/// A dumbbell's dot radius in pixels.
const DOT: i32 = 5;

/// The half of a dumbbell dot at (`x`, `y`) that faces left (`side` −1) or right (1): the
/// vertical diameter and the arc, in twelve steps.
fn half_dot(x: i32, y: i32, side: i32) -> Vec<(i32, i32)> {
    (0..=12)
        .map(|step| {
            let angle = std::f64::consts::PI * (step as f64 / 12.0 - 0.5);
            let (dx, dy) = (angle.cos() * DOT as f64, angle.sin() * DOT as f64);
            (x + side * dx.round() as i32, y + dy.round() as i32)
        })
        .collect()
}

/// Points with whiskers on a coefficient axis from `min` to 1, with dashed guides at
/// Krippendorff's (2004) thresholds 0.667 (tentative conclusions) and 0.8.
fn intervals<DB: DrawingBackend>(
    area: &Area<DB>,
    heading: &str,
    rows: &[String],
    values: &[(f64, Option<(f64, f64)>)],
    axis: &str,
    min: f64,
) -> Drawn<DB> {
    title(area, heading)?;
    write(
        area,
        "dots: estimate; lines: 95% interval; dashed: α = 0.667 and 0.8",
        (20, 52),
        11,
        (HPos::Left, VPos::Center),
        false,
    )?;
    let plot = (WIDTH as i32 - LEFT - RIGHT) as f64;
    let x = |v: f64| LEFT + (plot * (v.clamp(min, 1.0) - min) / (1.0 - min)).round() as i32;
    let (top, bottom) = (TOP - 4, TOP + rows.len() as i32 * 20);
    let steps = ((1.0 - min) / 0.25).round() as usize;
    for tick in (0..=steps).map(|i| min + 0.25 * i as f64) {
        area.draw(&PathElement::new(
            vec![(x(tick), top), (x(tick), bottom)],
            LIGHT.stroke_width(1),
        ))?;
        write(
            area,
            &format!("{tick}"),
            (x(tick), bottom + 12),
            11,
            (HPos::Center, VPos::Center),
            false,
        )?;
    }
    for guide in [0.667, 0.8] {
        let mut y = top;
        while y < bottom {
            area.draw(&PathElement::new(
                vec![(x(guide), y), (x(guide), (y + 4).min(bottom))],
                GREY.stroke_width(1),
            ))?;
            y += 8;
        }
    }
    write(
        area,
        axis,
        (LEFT + plot as i32 / 2, bottom + 32),
        12,
        (HPos::Center, VPos::Center),
        false,
    )?;
    for (r, (label, (estimate, interval))) in rows.iter().zip(values).enumerate() {
        let y = TOP + r as i32 * 20 + 10;
        write(
            area,
            &fit(label, 46),
            (LEFT - 8, y),
            12,
            (HPos::Right, VPos::Center),
            !label.starts_with(' '),
        )?;
        if let Some((low, high)) = interval {
            area.draw(&PathElement::new(
                vec![(x(*low), y), (x(*high), y)],
                PALETTE[3].stroke_width(2),
            ))?;
            for end in [*low, *high] {
                area.draw(&PathElement::new(
                    vec![(x(end), y - 4), (x(end), y + 4)],
                    PALETTE[3].stroke_width(2),
                ))?;
            }
        }
        area.draw(&Circle::new((x(*estimate), y), 5, PALETTE[4].filled()))?;
    }
    Ok(())
}

fn diverging<DB: DrawingBackend>(
    area: &Area<DB>,
    heading: &str,
    rows: &[String],
    levels: &[String],
    counts: &[Vec<usize>],
) -> Drawn<DB> {
    title(area, heading)?;
    let k = levels.len();
    // disagree side: vermillion, orange; agree side: sky blue, blue; neutral grey
    let colors: Vec<RGBColor> = (0..k)
        .map(|i| {
            let middle = (k as f64 - 1.0) / 2.0;
            if (i as f64 - middle).abs() < 0.01 {
                LIGHT
            } else if (i as f64) < middle {
                if i == 0 { PALETTE[4] } else { PALETTE[0] }
            } else if i + 1 == k {
                PALETTE[3]
            } else {
                PALETTE[1]
            }
        })
        .collect();
    let entries: Vec<(String, RGBColor)> =
        levels.iter().cloned().zip(colors.iter().copied()).collect();
    legend(area, &entries, 20, 52)?;
    let plot = WIDTH as i32 - LEFT - RIGHT;
    let centre = LEFT + plot / 2;
    let scale = plot as f64 / 200.0; // ±100% around the centre
    let bottom = TOP + rows.len() as i32 * 22;
    for tick in [-100i32, -50, 0, 50, 100] {
        let x = centre + (tick as f64 * scale) as i32;
        area.draw(&PathElement::new(vec![(x, TOP - 4), (x, bottom)], LIGHT.stroke_width(1)))?;
        write(
            area,
            &format!("{}%", tick.abs()),
            (x, bottom + 12),
            11,
            (HPos::Center, VPos::Center),
            false,
        )?;
    }
    write(
        area,
        "% of respondents (disagreement left of centre, agreement right, neutral split)",
        (centre, bottom + 32),
        12,
        (HPos::Center, VPos::Center),
        false,
    )?;
    for (r, (label, row)) in rows.iter().zip(counts).enumerate() {
        let y = TOP + r as i32 * 22;
        write(area, &fit(label, 46), (LEFT - 8, y + 10), 12, (HPos::Right, VPos::Center), false)?;
        let total: usize = row.iter().sum();
        if total == 0 {
            continue;
        }
        let share: Vec<f64> = row.iter().map(|&n| 100.0 * n as f64 / total as f64).collect();
        let middle = (k as f64 - 1.0) / 2.0;
        let neutral: f64 =
            (0..k).filter(|&i| (i as f64 - middle).abs() < 0.01).map(|i| share[i]).sum();
        let negative: f64 = (0..k).filter(|&i| (i as f64) < middle - 0.01).map(|i| share[i]).sum();
        let mut x = centre as f64 - (negative + neutral / 2.0) * scale;
        for (i, s) in share.iter().enumerate() {
            let width = s * scale;
            if width > 0.0 {
                rect(
                    area,
                    (x.round() as i32, y + 3),
                    ((x + width).round() as i32, y + 19),
                    colors[i],
                )?;
            }
            x += width;
        }
    }
    Ok(())
}

/// A round step for an axis of whole things from 0 to `max`: 1, 2 or 5 times a power of
/// ten, the smallest that makes at most `intervals` intervals.
fn round_step(max: f64, intervals: f64) -> f64 {
    let rough = (max / intervals).max(1.0);
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&step| step >= rough)
        .unwrap_or(rough)
}

fn line<DB: DrawingBackend>(
    area: &Area<DB>,
    heading: &str,
    points: &[(f64, f64)],
    axes: &(String, String),
) -> Drawn<DB> {
    title(area, heading)?;
    let (left, right, top, bottom) = (90, WIDTH as i32 - RIGHT, 70, 400);
    let max_x = points.iter().map(|p| p.0).fold(1.0, f64::max);
    // the vertical axis runs to the round tick at or above the highest point, so its
    // gridlines fall on round numbers (0, 10, 20, 30, 40 for 35 codes; max / 4 drew 9, 18, 26)
    let highest = points.iter().map(|p| p.1).fold(1.0, f64::max);
    let y_step = round_step(highest, 5.0);
    let max_y = (highest / y_step).ceil() * y_step;
    let to_pixel = |(x, y): (f64, f64)| {
        (
            left + ((x / max_x) * (right - left) as f64).round() as i32,
            bottom - ((y / max_y) * (bottom - top) as f64).round() as i32,
        )
    };
    for i in 0..=(max_y / y_step).round() as usize {
        let value = y_step * i as f64;
        let (_, y) = to_pixel((0.0, value));
        area.draw(&PathElement::new(vec![(left, y), (right, y)], LIGHT.stroke_width(1)))?;
        write(area, &format!("{value:.0}"), (left - 8, y), 11, (HPos::Right, VPos::Center), false)?;
    }
    let step = round_step(max_x, 10.0);
    let mut tick = step;
    while tick <= max_x {
        let (x, _) = to_pixel((tick, 0.0));
        write(
            area,
            &format!("{tick:.0}"),
            (x, bottom + 14),
            11,
            (HPos::Center, VPos::Center),
            false,
        )?;
        tick += step;
    }
    let pixels: Vec<(i32, i32)> = points.iter().map(|&p| to_pixel(p)).collect();
    area.draw(&PathElement::new(pixels.clone(), PALETTE[3].stroke_width(2)))?;
    for p in pixels {
        area.draw(&Circle::new(p, 3, PALETTE[3].filled()))?;
    }
    write(
        area,
        &axes.0,
        ((left + right) / 2, bottom + 38),
        12,
        (HPos::Center, VPos::Center),
        false,
    )?;
    write(area, &axes.1, (20, top - 14), 12, (HPos::Left, VPos::Center), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_too_small_to_show_is_not_shown_as_nil() {
        let shown = |value, percent| cell_label(value, percent);
        assert_eq!(shown(0.0, false), "0");
        assert_eq!(shown(0.004, false), "<0.01");
        assert_eq!(shown(0.005, false), "0.01");
        assert_eq!(shown(0.123, false), "0.12");
        assert_eq!(shown(1.0, false), "1.00");
        assert_eq!(shown(0.0, true), "0%");
        assert_eq!(shown(0.4, true), "<1%");
        assert_eq!(shown(0.6, true), "1%");
        assert_eq!(shown(37.4, true), "37%");
        assert_eq!(shown(100.0, true), "100%");
    }

    #[test]
    fn axis_steps_are_round_and_few() {
        for (max, intervals, step) in [
            (35.0, 5.0, 10.0),
            (56.0, 10.0, 10.0),
            (3.0, 5.0, 1.0),
            (12.0, 5.0, 5.0),
            (9.0, 5.0, 2.0),
            (10.0, 5.0, 2.0),
            (250.0, 10.0, 50.0),
            (1000.0, 10.0, 100.0),
            (1200.0, 5.0, 500.0),
        ] {
            assert_eq!(round_step(max, intervals), step, "{max} in at most {intervals}");
            assert!(max / step <= intervals, "{max} / {step}");
        }
    }
}
